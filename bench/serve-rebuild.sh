#!/usr/bin/env bash
# Edit-to-reload benchmark for `verbatim serve` (issue 4): generates an N-article corpus
# (default 1,000) with examples/gen-corpus.rs, then runs examples/serve-rebuild.rs in a
# release build, which edits one article EDITS times (default 30) and reports the time
# from the write to the live-reload event and to the new page. It measures; it asserts
# nothing. The server's own "Rebuilt in … ms" lines are summarised as well.
#
#   bench/serve-rebuild.sh            # 1,000 articles, 30 edits
#   bench/serve-rebuild.sh 10000 20   # other sizes
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000}"
edits="${2:-30}"
target="${CARGO_TARGET_DIR:-$repo/target}"
work="$target/bench"
corpus="$work/serve-corpus-$n"
mkdir -p "$work"

# gen-corpus uses std only, so plain rustc builds it even while the library is mid-edit.
rustc -O --edition 2024 "$repo/examples/gen-corpus.rs" -o "$work/gen-corpus"
rm -rf "$corpus"
"$work/gen-corpus" "$n" "$corpus"

cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --example serve-rebuild
log="$work/serve-rebuild-$n.log"
"$target/release/examples/serve-rebuild" "$corpus" "$edits" >"$log" 2>&1 || {
    tail -20 "$log" >&2
    exit 1
}
echo "verbatim serve, $n articles, $(nproc) cores, release build"
grep -v '^Rebuilt in' "$log"
# The first line is the initial full build; the rest are one-article rebuilds.
grep '^Rebuilt in' "$log" | sed 1d | awk '{print $3}' | sort -n | awk '
    { t[NR] = $1 }
    END { if (NR) printf "rebuild alone (server-side): median %.1f ms, min %.1f ms, max %.1f ms\n", t[int((NR + 1) / 2)], t[1], t[NR] }'
