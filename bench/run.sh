#!/usr/bin/env bash
# Build-speed benchmark for issue 5: times `verbatim build` (and Hugo, when it
# is installed) on generated interview corpora and prints a Markdown table.
#
# Usage: bench/run.sh [N ...]          default sizes: 100 1000 10000
#        LARGE=1 bench/run.sh          the default sizes and 100000 (about 700 MB of
#                                      Markdown, 1.5 GB of output; Hugo is skipped at
#                                      that size unless HUGO_LARGE=1, as it takes minutes)
#        RUNS=3 bench/run.sh 1000      builds per tool and size (default 5)
#        BASELINE=/path/to/verbatim bench/run.sh 10000
#                                      also time an earlier Verbatim binary on the same
#                                      corpus in the same run (a before/after comparison),
#                                      its builds alternated with the current binary's
#
# Progress goes to stderr; the machine line and the table go to stdout, so
# `bench/run.sh > perf.md` keeps only what belongs in the README.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$repo/target/bench"
runs=${RUNS:-5}
sizes=("$@")
if ((${#sizes[@]} == 0)); then
    sizes=(100 1000 10000)
    [[ ${LARGE:-} == 1 ]] && sizes+=(100000)
fi

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

for n in "${sizes[@]}" "$runs"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "sizes and RUNS must be positive whole numbers, got '$n'"
done

# GNU time reports peak RSS; bash's `time` keyword does not.
if [[ ! -x /usr/bin/time ]]; then
    if ((EUID == 0)) && command -v apt-get >/dev/null; then
        say "/usr/bin/time is missing; installing the Debian package 'time' (apt-get install -y time)"
        apt-get install -y -qq time >&2 || die "could not install 'time'; install it and rerun"
    else
        die "/usr/bin/time is missing; install GNU time (Debian: sudo apt-get install time) and rerun"
    fi
fi

mkdir -p "$work"

# Earlier corpora and outputs are moved aside and deleted when the run ends, not before a
# build: on ext4 without a journal (this machine's disk), a file created within a minute
# or so of tens of thousands being deleted costs many times more, as the allocator steps
# past each recently freed inode (ext4's `recently_deleted`), and a cold build of 10,000
# articles right after `rm -rf` of the previous output took 4 to 7 s instead of about 2.
trash="$work/trash.$$"
mkdir -p "$trash"
trap 'rm -rf "$trash"' EXIT
# discard PATH...: moves each existing PATH into the trash.
discard() {
    local path
    for path in "$@"; do
        if [[ -e $path ]]; then
            mv "$path" "$trash/$(date +%s%N)-$(basename "$path")"
        fi
    done
}

# Set by `measure`: wall seconds and peak RSS in KiB of the last command.
wall_s=0
rss_kib=0

# measure LOG CMD...: runs CMD once with its output in LOG; returns its status.
measure() {
    local log=$1 timing="$1.time" start end status=0
    shift
    start=$(date +%s%N)
    /usr/bin/time -v -o "$timing" "$@" >"$log" 2>&1 || status=$?
    end=$(date +%s%N)
    wall_s=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }')
    rss_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$timing")
    return "$status"
}

# median VALUE...: the middle value (the mean of the two middle ones if even).
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Results of `bench_tool` and `bench_tools`: the first (cold) build's seconds, the
# median seconds of the rebuilds after it, peak RSS in MiB over all builds, pages
# written (of the last tool finished).
cold_s=""
median_s=""
peak_mib=""
pages=0

# Per tool, while its builds run: the cold build's seconds, the rebuilds' seconds and
# the peak RSS in KiB.
declare -A cold_of rebuilds_of peak_of

# build_once NAME OUTPUT RUN CMD...: one build of tool NAME into OUTPUT (run 0 is the
# cold one), recorded under NAME. Fails (with the tool's output shown) if the build
# fails or writes no index.html.
build_once() {
    local name=$1 output=$2 run=$3 log="$work/$1.log"
    shift 3
    if ! measure "$log" "$@"; then
        say "$name failed (run $run): $*"
        tail -n 20 "$log" >&2
        return 1
    fi
    if [[ ! -f $output/index.html ]]; then
        say "$name exited 0 but wrote no $output/index.html: $*"
        tail -n 20 "$log" >&2
        return 1
    fi
    if grep -E -m 5 'WARN|ERROR' "$log" >&2; then
        say "$name printed the warnings above (run $run)"
    fi
    if ((run == 0)); then cold_of[$name]=$wall_s; else rebuilds_of[$name]+="$wall_s "; fi
    if ((rss_kib > ${peak_of[$name]:-0})); then peak_of[$name]=$rss_kib; fi
    say "$name run $run: ${wall_s}s, ${rss_kib} KiB"
}

# start_tool NAME OUTPUT: forgets NAME's builds and empties OUTPUT for its cold build,
# removing what Verbatim keeps beside it too (staging folder, manifests, highlight cache).
start_tool() {
    cold_of[$1]=""
    rebuilds_of[$1]=""
    peak_of[$1]=0
    discard "$2" "$(dirname "$2")/.$(basename "$2")".*
}

# finish_tool NAME OUTPUT: sets cold_s, median_s, peak_mib and pages from NAME's builds.
finish_tool() {
    cold_s=${cold_of[$1]}
    # shellcheck disable=SC2086
    median_s=$(median ${rebuilds_of[$1]})
    peak_mib=$(awk -v k="${peak_of[$1]}" 'BEGIN { printf "%.0f", k / 1024 }')
    pages=$(find "$2" -name index.html | wc -l)
}

# bench_tool NAME OUTPUT_DIR CMD...: one cold build into an empty OUTPUT_DIR, then RUNS
# rebuilds over the previous output, as an editor or a CI cache sees them (both tools
# keep and overwrite their output folder).
bench_tool() {
    local name=$1 output=$2 run
    shift 2
    start_tool "$name" "$output"
    for ((run = 0; run <= runs; run++)); do
        build_once "$name" "$output" "$run" "$@" || return 1
    done
    finish_tool "$name" "$output"
}

# Hugo reads the corpus through bench/hugo; its taxonomies need list-valued
# plural keys, which Verbatim does not use, so Hugo gets a rewritten copy.
prepare_hugo_site() {
    local corpus=$1 site=$2
    discard "$site"
    mkdir -p "$site"
    cp -R "$repo/bench/hugo/." "$site/"
    cp -R "$corpus/content" "$site/content"
    find "$site/content" -name '*.md' -print0 | xargs -0 sed -i \
        -e '1,/^---$/{s/^interviewee: \(.*\)$/interviewees: [\1]/;s/^publication: \(.*\)$/publications: [\1]/}'
}

status=0
verbatim_built=true
say "cargo build --release"
if ! (cd "$repo" && cargo build --release --quiet); then
    say "error: cargo build --release failed; the Verbatim columns will read 'failed'"
    verbatim_built=false
    status=1
fi
verbatim="$repo/target/release/verbatim"

# The generator is compiled on its own (std only), so a corpus can be made
# even while the library does not compile.
rustc -O --edition 2024 "$repo/examples/gen-corpus.rs" -o "$work/gen-corpus"
rustc -O --edition 2024 "$repo/examples/write-tree.rs" -o "$work/write-tree"

# tree_write_s OUTPUT: the median seconds, over up to three runs, that writing a copy of
# OUTPUT into a new folder takes with nothing but mkdir and write (examples/write-tree.rs):
# the part of a cold build that creating the files costs on this disk.
tree_write_s() {
    local output=$1 run copy times=()
    for ((run = 1; run <= (runs < 3 ? runs : 3); run++)); do
        # Into the trash, which is emptied when the run ends (see `discard`).
        copy="$trash/tree-$(date +%s%N)"
        times+=("$("$work/write-tree" "$output" "$copy")") || return 1
    done
    median "${times[@]}"
}

baseline=${BASELINE:-}
if [[ -n $baseline && ! -x $baseline ]]; then
    die "BASELINE=$baseline is not an executable file"
fi

hugo_bin=$(command -v hugo || true)
[[ -n $hugo_bin ]] || say "hugo is not on PATH; the Hugo columns will read '—' (Debian: apt-get install hugo)"

rows=()
baseline_rows=()
page_counts=""
for n in "${sizes[@]}"; do
    corpus="$work/corpus-$n"
    say "generating $n articles in $corpus"
    discard "$corpus"
    "$work/gen-corpus" "$n" "$corpus"

    v_cells="failed | failed | failed | failed | failed | failed | failed"
    v_median=""
    v_pages="failed"
    v_output="$corpus/public"
    b_output="$corpus/public-baseline"
    v_build=("$verbatim" build --root "$corpus" --output "$v_output" --quiet)
    b_build=("$baseline" build --root "$corpus" --output "$b_output" --quiet)
    v_ok=false
    b_ok=false
    if [[ -n $baseline ]] && $verbatim_built; then
        # Each rebuild of one binary right after one of the other: the host's speed
        # drifts within minutes, and a before/after comparison must not measure it.
        start_tool verbatim "$v_output"
        start_tool baseline "$b_output"
        v_ok=true
        b_ok=true
        for ((run = 0; run <= runs; run++)); do
            $v_ok && { build_once verbatim "$v_output" "$run" "${v_build[@]}" || v_ok=false; }
            $b_ok && { build_once baseline "$b_output" "$run" "${b_build[@]}" || b_ok=false; }
        done
        $v_ok && finish_tool verbatim "$v_output"
    elif $verbatim_built && bench_tool verbatim "$v_output" "${v_build[@]}"; then
        v_ok=true
    fi
    if $v_ok; then
        v_median=$median_s
        v_pages=$pages
        floor_s=$(tree_write_s "$v_output") || floor_s=failed
        v_cells="$cold_s | $median_s | $(awk -v c="$cold_s" -v r="$median_s" 'BEGIN { printf "%.2f", c / r }') | $floor_s | $(awk -v n="$n" -v s="$median_s" 'BEGIN { printf "%.0f", s * 1e6 / n }') | $(awk -v p="$pages" -v s="$median_s" 'BEGIN { printf "%.0f", p / s }') | $peak_mib"
    else
        status=1
    fi

    if [[ -n $baseline ]]; then
        if ! $verbatim_built; then
            bench_tool baseline "$b_output" "${b_build[@]}" && b_ok=true
        fi
        if $b_ok; then
            finish_tool baseline "$b_output"
            baseline_rows+=("| $n | $cold_s | $median_s | $peak_mib | $pages |")
        else
            baseline_rows+=("| $n | failed | failed | failed | failed |")
            status=1
        fi
    fi

    h_cells="— | — | —"
    ratio="—"
    h_pages="—"
    if [[ -n $hugo_bin ]] && { ((n <= 10000)) || [[ ${HUGO_LARGE:-} == 1 ]]; }; then
        site="$work/hugo-$n"
        prepare_hugo_site "$corpus" "$site"
        if bench_tool hugo "$site/public" \
            "$hugo_bin" --quiet --source "$site" --destination "$site/public"; then
            h_cells="$cold_s | $median_s | $peak_mib"
            h_pages=$pages
            if [[ -n $v_median ]]; then
                ratio=$(awk -v h="$median_s" -v v="$v_median" 'BEGIN { printf "%.1f×", h / v }')
            fi
        else
            h_cells="failed | failed | failed"
            status=1
        fi
    fi
    rows+=("| $n | $v_cells | $h_cells | $ratio |")
    page_counts+="${page_counts:+; }N=$n: Verbatim $v_pages, Hugo $h_pages"
done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gib=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
hugo_version="not installed"
[[ -n $hugo_bin ]] && hugo_version=$("$hugo_bin" version | awk '{ print $2 }')
echo "Machine: $(nproc) cores (nproc), ${cpu:-unknown CPU}, ${mem_gib} GiB RAM, $(uname -sr)."
echo "Verbatim $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '(no git)'), Hugo ${hugo_version}; one cold build into an empty folder, then the median of $runs rebuilds over the previous output."
echo
echo "| N | Verbatim cold s | Verbatim rebuild s (median) | cold ÷ rebuild | tree write s | µs per article | pages/s | peak RSS MB | Hugo cold s | Hugo rebuild s (median) | Hugo peak RSS MB | ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "Ratio = Hugo rebuild median / Verbatim rebuild median; µs per article and pages/s from the rebuild median (a flat µs column is a cost that grows linearly with the archive); Tree write = the median seconds a program that does nothing but create the same output's folders and files (examples/write-tree.rs, a thread per core) takes on the same disk: what a cold build pays that a rebuild over the previous output does not. Hugo reads — above 10,000 articles unless HUGO_LARGE=1. Pages = index.html files written ($page_counts)."
if [[ -n $baseline ]]; then
    echo
    echo "Baseline \`$baseline\`, same corpus, same run:"
    echo
    echo "| N | baseline cold s | baseline rebuild s (median) | peak RSS MB | pages |"
    echo "|---:|---:|---:|---:|---:|"
    printf '%s\n' "${baseline_rows[@]}"
fi
exit "$status"
