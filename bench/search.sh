#!/usr/bin/env bash
# Search benchmark for issue 10, on the generated corpus (examples/gen-corpus.rs):
#   1. build cost: `verbatim build` with `search: true` and `search: false`, alternated
#      in one run (median wall and CPU seconds of the rebuilds after a cold build);
#   2. index size: files, bytes, gzip bytes, the largest shard, the script;
#   3. the reader's side: headless Chromium with the CPU throttled (DevTools
#      Emulation.setCPUThrottlingRate), per query the time to the first result and the
#      gzip bytes downloaded before it (examples/search-bench.rs).
#
# Usage: bench/search.sh [N]            default N: 10000
#        RUNS=5 THROTTLE=4 bench/search.sh 10000    RUNS rebuilds per setting, and
#                                       RUNS measures of every query (median, min–max)
#        THROTTLE=mid (or low)          the slowdown at which this machine's browser
#                                       scores like a mid-tier (low-tier) phone on
#                                       Lighthouse's benchmark index, as Chrome DevTools
#                                       calibrates it; default 4, and the report says
#                                       what device 4× was on this machine
#        PROFILE=1 bench/search.sh 10000 adds where a fresh and a linked query's time
#                                       goes (examples/search-bench.rs); TIMELINE=1
#                                       with it prints the main thread's events in
#                                       order, to stderr
#        FRESH_ONLY=1 bench/search.sh   measures only the cold and fresh runs of each
#                                       query (quicker, for comparing two scripts)
#        WIDE=1 bench/search.sh 10000   the corpus with a realistic vocabulary: half of its
#                                       Chinese sentences drawn from the cleaner's word
#                                       list (gen-corpus --vocabulary), hundreds of
#                                       thousands of terms instead of a few thousand
#        TEXT=FILE bench/search.sh 10000  every paragraph of prose drawn from FILE, a local
#                                       file of running Chinese text (gen-corpus
#                                       --paragraphs): a real archive's pairs of
#                                       neighbouring characters, which WIDE's independent
#                                       words do not give (the corpus is kept in
#                                       target/bench/search-text-N: remove it to change FILE)
# Progress goes to stderr, the report to stdout (Markdown).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$repo/target/bench"
n=${1:-10000}
runs=${RUNS:-5}
throttle=${THROTTLE:-4}
port=${PORT:-8377}
queries=("数据管道 缓存层" "release engineering" "Rust 编译器" "口述历史" "測試套件" "field record" "译")

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}
[[ $n =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] || die "N and RUNS must be positive whole numbers"
command -v python3 >/dev/null || die "python3 is needed to serve the built site"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (Debian: apt-get install time)"

mkdir -p "$work"
# The driver in release too: it shares the release dependencies verbatim was just
# built with, and PROFILE=1 reads traces of many megabytes.
say "cargo build --release, and the search-bench example"
(cd "$repo" && cargo build --release --quiet && cargo build --release --quiet --example search-bench)
verbatim="$repo/target/release/verbatim"
driver="$repo/target/release/examples/search-bench"

corpus="$work/search-$n"
vocabulary=()
if [[ ${WIDE:-} == 1 ]]; then
    corpus="$work/search-wide-$n"
    gzip -dc "$repo/src/clean/data/jieba-dict.txt.gz" > "$work/words.txt"
    vocabulary=(--vocabulary "$work/words.txt")
elif [[ -n ${TEXT:-} ]]; then
    [[ -f $TEXT ]] || die "TEXT=$TEXT is not a file"
    corpus="$work/search-text-$n"
    vocabulary=(--paragraphs "$TEXT")
fi
if [[ ! -d $corpus/content/interviews ]] || (($(find "$corpus/content/interviews" -name '*.md' | wc -l) != n)); then
    say "generating $n articles in $corpus"
    rm -rf "$corpus"
    rustc -O --edition 2024 "$repo/examples/gen-corpus.rs" -o "$work/gen-corpus"
    "$work/gen-corpus" "$n" "$corpus" "${vocabulary[@]}"
fi
settings=$(grep -v '^search:' "$corpus/site.yml" || true)
# The builds below rewrite `search:`; the corpus gets its own site.yml back at the end,
# so a later hand-run of the search-bench driver finds the site as it was.
original_settings=$(cat "$corpus/site.yml")
restore_settings() { printf '%s\n' "$original_settings" >"$corpus/site.yml"; }
trap restore_settings EXIT

median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# build MODE: one build with `search: MODE` into public-MODE; sets wall and cpu seconds.
wall=0
cpu=0
build() {
    local mode=$1 start end
    printf '%s\nsearch: %s\n' "$settings" "$mode" >"$corpus/site.yml"
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$work/search-time" \
        "$verbatim" build --root "$corpus" --output "$corpus/public-$mode" --quiet
    end=$(date +%s%N)
    wall=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
    cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$work/search-time")
}

declare -A walls cpus
for mode in true false; do
    rm -rf "$corpus/public-$mode" "$corpus/.public-$mode.staging"
    build "$mode"
    say "cold build, search: $mode: ${wall}s wall, ${cpu}s CPU"
    walls[$mode]=""
    cpus[$mode]=""
done
for ((run = 1; run <= runs; run++)); do
    for mode in true false; do
        build "$mode"
        say "rebuild $run, search: $mode: ${wall}s wall, ${cpu}s CPU"
        walls[$mode]+="$wall "
        cpus[$mode]+="$cpu "
    done
done
# shellcheck disable=SC2086
on_wall=$(median ${walls[true]})
# shellcheck disable=SC2086
off_wall=$(median ${walls[false]})
# shellcheck disable=SC2086
on_cpu=$(median ${cpus[true]})
# shellcheck disable=SC2086
off_cpu=$(median ${cpus[false]})

index="$corpus/public-true/search"
gz() { gzip -9c "$1" | wc -c; }
files=$(find "$index" -name '*.json' | wc -l)
bytes=$(find "$index" -name '*.json' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
gz_total=0
largest=0
while IFS= read -r -d '' file; do
    size=$(gz "$file")
    gz_total=$((gz_total + size))
    if [[ $file == */t/* ]] && ((size > largest)); then largest=$size; fi
done < <(find "$index" -name '*.json' -print0)
shards=$(find "$index/t" -name '*.json' | wc -l)

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "Machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Verbatim $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '(no git)'), $n articles, median of $runs rebuilds per setting, alternated."
echo
echo "| search | rebuild wall s | rebuild CPU s |"
echo "|---|---:|---:|"
echo "| off | $off_wall | $off_cpu |"
echo "| on | $on_wall | $on_cpu |"
awk -v a="$off_wall" -v b="$on_wall" -v c="$off_cpu" -v d="$on_cpu" \
    'BEGIN { printf "| growth | %+.1f %% | %+.1f %% |\n", (b / a - 1) * 100, (d / c - 1) * 100 }'
echo
echo "Index: $files files ($shards shards), $((bytes / 1024)) KB, $((gz_total / 1024)) KB gzip; largest shard $((largest / 1024)) KB gzip; manifest $(gz "$index/index.json") B gzip; search.js $(gz "$corpus/public-true/search.js") B gzip."
echo

say "serving $corpus/public-true on 127.0.0.1:$port"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$corpus/public-true" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; restore_settings' EXIT
for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/search/')" 2>/dev/null && break
    sleep 0.1
done
echo "Chromium $(chromium --version 2>/dev/null | awk '{ print $2 }'), CPU throttled (THROTTLE=${throttle}; the line below says what device that was); cold = cache disabled, warm = the same query again in the page, fresh = the query in a newly opened page with the index files in the browser cache, typed = the same but typed a character every 100 ms, timed from the query's start, linked = /search/?q= opened anew with the index files cached, timed from the navigation's start."
echo
RUNS=$runs "$driver" "$corpus/public-true" "http://127.0.0.1:$port/" "$throttle" "${queries[@]}"
