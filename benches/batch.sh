#!/usr/bin/env bash
# Batch measurement (issue 7): `hf-fidelity batch` with records written, against the
# same binary only reading and parsing the same files.
#
#   benches/batch.sh                        # 1,000 and 10,000 files, 3 runs each
#   COUNTS="1000" RUNS=5 benches/batch.sh
#   OUT_BASE=/dev/shm benches/batch.sh      # write the records to another file system
#
# Generates deterministic self-assessments (examples/generate-assessments.rs) into a
# temporary folder, then for each count runs, alternately and RUNS times:
#   read+parse:  hf-fidelity batch DIR --out OUT --parse-only
#                (same threads, same reading and parsing; nothing audited or written)
#   full batch:  hf-fidelity batch DIR --out OUT   (a record per file, summaries)
# and prints the median wall time, the ratio, the median peak RSS and CPU use.
# Needs GNU time (/usr/bin/time). Set CARGO_TARGET_DIR to build elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNTS=${COUNTS:-"1000 10000"}
RUNS=${RUNS:-3}
SEED=${SEED:-7}
JOBS=${JOBS:-}
TIME=${TIME:-/usr/bin/time}
[ -x "$TIME" ] || { echo "batch.sh needs GNU time at $TIME (apt-get install time)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hf-batch.XXXXXX")
OUT_BASE=${OUT_BASE:-$WORK}
OUT=$(mktemp -d "$OUT_BASE/hf-batch-out.XXXXXX")
trap 'rm -rf "$WORK" "$OUT"' EXIT

cargo build -q --release --bin hf-fidelity --example generate-assessments
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/hf-fidelity
GEN=$TARGET/release/examples/generate-assessments
jobs_flag=()
[ -n "$JOBS" ] && jobs_flag=(--jobs "$JOBS")

# Runs a command under GNU time; prints "seconds peak_rss_kib cpu_percent".
measure() {
    if ! "$TIME" -f "%e %M %P" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr"; then
        echo "failed: $*" >&2
        cat "$WORK/stderr" >&2
        exit 1
    fi
    tr -d '%' <"$WORK/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "machine: $(nproc) cores; records written under $OUT_BASE ($(df -PT "$OUT_BASE" | awk 'NR == 2 { print $2 }'))"
printf '%-7s | %-14s | %-14s | %-6s | %-13s | %-13s | %s\n' files "read+parse s" "full batch s" ratio "RSS parse MB" "RSS batch MB" "CPU % parse/batch"
for n in $COUNTS; do
    in=$WORK/in-$n
    "$GEN" "$in" "$n" "$SEED" >"$WORK/gen-$n.txt"
    : >"$WORK/parse-$n"
    : >"$WORK/full-$n"
    # One warm-up read so both sides find the files in the page cache.
    "$BIN" -q batch "$in" --out "$OUT/parse" --parse-only >/dev/null 2>&1
    for run in $(seq "$RUNS"); do
        measure "$BIN" -q batch "$in" --out "$OUT/parse" --parse-only "${jobs_flag[@]}" >>"$WORK/parse-$n"
        # A fresh folder per run, and nothing deleted until the script ends: on ext4, files
        # created just after thousands were deleted pay for the allocator's scan of the
        # recently deleted inodes (`recently_deleted`, a third of the batch's CPU in perf),
        # which a LAB batch into a new folder does not.
        full=$OUT/full-$n-$run
        measure "$BIN" -q batch "$in" --out "$full" "${jobs_flag[@]}" >>"$WORK/full-$n"
        records=$(find "$full/records" -name '*.record.json' | wc -l)
        [ "$records" -eq "$n" ] || { echo "expected $n records, found $records" >&2; exit 1; }
    done
    tp=$(cut -d' ' -f1 "$WORK/parse-$n" | median)
    tf=$(cut -d' ' -f1 "$WORK/full-$n" | median)
    mp=$(cut -d' ' -f2 "$WORK/parse-$n" | median)
    mf=$(cut -d' ' -f2 "$WORK/full-$n" | median)
    cp=$(cut -d' ' -f3 "$WORK/parse-$n" | median)
    cf=$(cut -d' ' -f3 "$WORK/full-$n" | median)
    printf '%-7s | %-14s | %-14s | %-6s | %-13s | %-13s | %s\n' "$n" "$tp" "$tf" \
        "$(awk -v a="$tf" -v b="$tp" 'BEGIN { printf "%.2f", a / b }')" \
        "$(awk -v k="$mp" 'BEGIN { printf "%.1f", k / 1024 }')" \
        "$(awk -v k="$mf" 'BEGIN { printf "%.1f", k / 1024 }')" "$cp / $cf"
    echo "        generated: $(cat "$WORK/gen-$n.txt")"
done
