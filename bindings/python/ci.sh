#!/usr/bin/env bash
# CI for the Python bindings (run from anywhere; paths are relative to the repo root):
# the abi3 wheel built once (`maturin build --release`), then installed into a fresh venv
# with no Rust toolchain on PATH, as a user without Rust installs it; there the type stubs
# are checked against the runtime (`mypy --strict`, `stubtest`), pytest runs, and the
# example notebook is executed from its own folder (any failing cell fails the script).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BUILD="$ROOT/target/py-build"
VENV="$ROOT/target/py-venv"
WHEELS="$ROOT/target/wheels"
PY=${PYTHON:-python3}
start=$(date +%s)

echo "== build venv ($BUILD) and the wheel (maturin build --release)"
if [ ! -x "$BUILD/bin/maturin" ]; then
  rm -rf "$BUILD"
  "$PY" -m venv "$BUILD"
  "$BUILD/bin/python" -m pip install --quiet --upgrade pip
  "$BUILD/bin/python" -m pip install --quiet "maturin>=1.9.4,<2"
fi
rm -rf "$WHEELS"
(cd bindings/python && "$BUILD/bin/maturin" build --release --quiet --out "$WHEELS")
WHEEL=$(ls "$WHEELS"/hf_fidelity-*-abi3-*.whl)
echo "$WHEEL"

echo "== the CLI, to compare the bindings' records with it"
cargo build -q --bin hf-fidelity
export HF_FIDELITY_CLI="$ROOT/target/debug/hf-fidelity"

echo "== a fresh venv without Rust on PATH installs the wheel ($VENV)"
NO_RUST=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '\.cargo' -e 'rustup' | paste -sd: -)
rm -rf "$VENV"
"$PY" -m venv "$VENV"
run() { env PATH="$VENV/bin:$NO_RUST" "$@"; }
if run sh -c 'command -v cargo || command -v rustc'; then
  echo "a Rust toolchain is still on PATH" >&2
  exit 1
fi
run python -m pip install --quiet --upgrade pip
run python -m pip install --quiet "$WHEEL[test]" matplotlib nbclient nbformat ipykernel jsonschema mypy
run python -c "import hf_fidelity, sys; print('installed:', hf_fidelity.__file__); sys.exit('site-packages' not in hf_fidelity.__file__)"

echo "== type stubs: mypy --strict and stubtest against the installed module"
(cd bindings/python && run python -m mypy --config-file pyproject.toml && run python -m mypy.stubtest hf_fidelity --mypy-config-file pyproject.toml)

echo "== pytest"
(cd bindings/python && run python -m pytest -q tests)

echo "== notebooks (nbclient), each from its own folder"
run python - <<'PY'
import nbformat
from nbclient import NotebookClient

for path in ["bindings/python/examples/label-audit.ipynb", "bindings/python/examples/monitoring.ipynb"]:
    nb = nbformat.read(path, as_version=4)
    # Run from the notebook's own folder, as Jupyter opens it; a failing cell raises here.
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "bindings/python/examples"}}).execute()
    print(f"{path}: {len(nb.cells)} cells executed")
PY

echo "== bindings/python/ci.sh passed in $(( $(date +%s) - start ))s"
