#!/usr/bin/env bash
# What related interviews cost a build (issue 11): callgrind instruction counts of
# `verbatim build` on generated corpora with `related: 0` and `related: 5`, so the
# comparison holds on a busy machine where wall-clock times do not.
#
# Usage: bench/related.sh [N ...]      default sizes: 1000 10000
#
# One rayon thread: idle workers spin while they wait for work, and valgrind would
# count that spinning as instructions that vary from run to run.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$repo/target/bench"
sizes=("$@")
if ((${#sizes[@]} == 0)); then
    sizes=(1000 10000)
fi
command -v valgrind >/dev/null || { echo "bench: valgrind is missing (Debian: apt-get install valgrind)" >&2; exit 1; }

mkdir -p "$work"
(cd "$repo" && cargo build --release --quiet)
rustc -O --edition 2024 "$repo/examples/gen-corpus.rs" -o "$work/gen-corpus"

echo "| articles | related: 0 | related: 5 | difference |"
echo "|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    counts=()
    for related in 0 5; do
        corpus="$work/related-$n-$related"
        rm -rf "$corpus"
        "$work/gen-corpus" "$n" "$corpus" >/dev/null
        echo "related: $related" >>"$corpus/site.yml"
        # A first build, so both measured builds overwrite an existing output alike.
        RAYON_NUM_THREADS=1 "$repo/target/release/verbatim" build --root "$corpus" -q 2>/dev/null
        RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$corpus.callgrind" \
            "$repo/target/release/verbatim" build --root "$corpus" -q 2>"$corpus.log"
        counts+=("$(awk '/Collected/ { print $4 }' "$corpus.log")")
    done
    awk -v n="$n" -v a="${counts[0]}" -v b="${counts[1]}" \
        'BEGIN { printf "| %d | %d | %d | %+.2f %% |\n", n, a, b, (b - a) * 100 / a }'
done
