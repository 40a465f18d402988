#!/usr/bin/env bash
# Article-extraction benchmark: Verbatim's body extraction on the 181 real news pages of
# the public article-extraction-benchmark, scored by that benchmark's own evaluate.py
# (F1, precision, recall over word 4-gram shingles), next to the published figures;
# and what the despin pass did to these unspun pages (every change a false alarm).
# Measures, asserts nothing.
#
# Usage: bash bench/extraction.sh [PATH_TO_BENCHMARK_COPY]
#        (or set AEB_DIR; KEEP=1 keeps the predictions for a look at single pages). The copy is a checkout of the benchmark's repository,
#        scrapinghub/article-extraction-benchmark on GitHub: it needs html/*.html.gz,
#        ground-truth.json and evaluate.py; nothing else is read.
set -euo pipefail
cd "$(dirname "$0")/.."
AEB="${1:-${AEB_DIR:-}}"
if [[ -z "$AEB" || ! -f "$AEB/ground-truth.json" || ! -f "$AEB/evaluate.py" || ! -d "$AEB/html" ]]; then
    cat >&2 <<'HELP'
bench/extraction.sh: no copy of the article-extraction benchmark found.
Get one (about 25 MB) outside this repository, then pass its path:
    git clone https://github.com/scrapinghub/article-extraction-benchmark /tmp/aeb
    bash bench/extraction.sh /tmp/aeb        # or: AEB_DIR=/tmp/aeb bash bench/extraction.sh
The copy needs html/*.html.gz, ground-truth.json and evaluate.py.
HELP
    exit 2
fi
AEB="$(cd "$AEB" && pwd)"
work="$(mktemp -d)"
if [[ -n "${KEEP:-}" ]]; then
    echo "keeping the pages and predictions in $work"
else
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/html" "$work/output"
for page in "$AEB"/html/*.html.gz; do
    gunzip -c "$page" > "$work/html/$(basename "$page" .gz)"
done
cargo run --quiet --release --example extract-bench -- "$work/html" "$work/output"
cp "$AEB/ground-truth.json" "$AEB/evaluate.py" "$work/"
echo
echo "Verbatim (this checkout), scored by the benchmark's evaluate.py:"
(cd "$work" && python3 evaluate.py --n-bootstrap "${N_BOOTSTRAP:-1000}")
cat <<'PUBLISHED'

Published figures (the benchmark's README, latest evaluation):
                     version      F1             precision      recall
rs_trafilatura       9261e08      0.970 ± 0.004  0.951 ± 0.006  0.990 ± 0.003
go_trafilatura       ae7ea06      0.960 ± 0.007  0.940 ± 0.009  0.980 ± 0.006
trafilatura          2.0.0        0.958 ± 0.006  0.938 ± 0.009  0.978 ± 0.006
readability_js       0.6.0        0.947 ± 0.005  0.914 ± 0.008  0.982 ± 0.003
go_readability       9f5bf5c      0.934 ± 0.009  0.900 ± 0.011  0.971 ± 0.009
goose3               3.1.20       0.896 ± 0.015  0.940 ± 0.013  0.856 ± 0.020
dom_smoothie         0.14.0       0.865 ± 0.008  0.785 ± 0.012  0.963 ± 0.005
html-text (all text) 0.7.0        0.665 ± 0.015  0.500 ± 0.017  0.994 ± 0.001
PUBLISHED
