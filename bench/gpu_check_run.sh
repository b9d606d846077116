#!/usr/bin/env bash
# Runs on the GPU machine from the assembled folder: the cuda backend's checks and timings, then
# torch.linalg's on the same sizes, then the two side by side. Writes every line to results.txt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
out="${RESULTS:-$here/results.txt}"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/GPU|/' | tee "$out"
# JavaCPP unpacks the natives into a writable temporary folder, not the home directory.
"$here/runtime/bin/java" -Xmx8g -Dorg.bytedeco.javacpp.cachedir="$cache" -cp "$here/lib/*" \
  org.mimobatch.pipeline.bench.GpuCheck "$@" | tee -a "$out"
status=${PIPESTATUS[0]}
python3 "$here/torch_linalg.py" | tee -a "$out"
python3 "$here/gpu_table.py" "$out"
exit "$status"
