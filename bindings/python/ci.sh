#!/usr/bin/env bash
# CI for the Python bindings (run from anywhere; paths are relative to the repo root):
# a fresh venv, the extension built in release mode and installed, pytest, and the
# example notebook executed headlessly (any failing cell fails the script).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VENV="$ROOT/target/py-venv"
PY=${PYTHON:-python3}
start=$(date +%s)

echo "== python venv ($VENV)"
rm -rf "$VENV"
"$PY" -m venv "$VENV"
# shellcheck disable=SC1091
source "$VENV/bin/activate"
python -m pip install --quiet --upgrade pip
python -m pip install --quiet "maturin>=1.9.4,<2" pytest pandas pyarrow polars matplotlib nbclient nbformat ipykernel jsonschema

echo "== build and install the extension (maturin develop --release)"
(cd bindings/python && maturin develop --release --quiet)

echo "== the CLI, to compare the bindings' records with it"
cargo build -q --bin hf-fidelity
export HF_FIDELITY_CLI="$ROOT/target/debug/hf-fidelity"

echo "== pytest"
python -m pytest -q bindings/python/tests

echo "== notebook (nbclient)"
python - <<'PY'
import nbformat
from nbclient import NotebookClient

path = "bindings/python/examples/label-audit.ipynb"
nb = nbformat.read(path, as_version=4)
# Run from the notebook's own folder, as Jupyter opens it; a failing cell raises here.
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "bindings/python/examples"}}).execute()
print(f"{path}: {len(nb.cells)} cells executed")
PY

echo "== bindings/python/ci.sh passed in $(( $(date +%s) - start ))s"
