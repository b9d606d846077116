"""Executes mimobatch's notebooks headless, as CI does, and keeps the executed copies.

    python notebooks/execute.py [NOTEBOOK ...]

Runs every notebook in this folder (or the ones named) top to bottom in a fresh kernel, with this
folder as the working directory; each notebook's assertions make it a test. The executed copies,
outputs and figures included, land in $MIMOBATCH_OUT/notebooks (default out/notebooks). Exits 1
naming the first cell that failed.
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def execute(path: Path, executed: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(HERE)}})
    try:
        client.execute()
    finally:
        nbformat.write(nb, executed / path.name)


def main(names) -> int:
    out = Path(os.environ.get("MIMOBATCH_OUT", "out")).resolve()
    os.environ["MIMOBATCH_OUT"] = str(out)
    executed = out / "notebooks"
    executed.mkdir(parents=True, exist_ok=True)
    notebooks = [HERE / n for n in names] if names else sorted(HERE.glob("*.ipynb"))
    for path in notebooks:
        start = time.monotonic()
        try:
            execute(path, executed)
        except CellExecutionError as e:
            print(f"{path.name}: failed; executed copy in {executed / path.name}\n{e}", file=sys.stderr)
            return 1
        print(f"{path.name}: executed in {time.monotonic() - start:.1f} s -> {executed / path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
