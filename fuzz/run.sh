#!/usr/bin/env bash
# Runs one fuzz target for a while: `fuzz/run.sh <target> [seconds]` (default 300).
# New inputs go to fuzz/corpus/<target> (made here, ignored by git), the committed seeds
# are read from fuzz/seeds/<target>, and a crash is saved under fuzz/artifacts/<target>/.
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 allows them on stable.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh <rubric|assessment|audit|verify|json> [seconds]}
seconds=${2:-300}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
mkdir -p "fuzz/corpus/$target"
RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- -max_total_time="$seconds"
