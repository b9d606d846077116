#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, and
# spark.worker.resource.gpu.discoveryScript on standalone workers): prints the GPUs this executor
# may use as CUDA ordinals, which is what the cuda backend expects as addresses.
# Under YARN or Kubernetes with CUDA_VISIBLE_DEVICES set by the container, the visible devices are
# renumbered from 0, so the ordinals are 0..count-1 whatever their physical indices.
set -euo pipefail
count=$(nvidia-smi --query-gpu=index --format=csv,noheader | wc -l)
addresses=""
for ((i = 0; i < count; i++)); do
  addresses+="${addresses:+,}\"$i\""
done
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
