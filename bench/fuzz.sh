#!/usr/bin/env bash
# Deeper property testing than `cargo test` runs: the proptest cases of
# tests/properties.rs (Markdown, front matter, whole sites) with many more inputs, in
# release mode. A failure prints the smallest input that shows it; proptest keeps it in
# tests/properties.proptest-regressions so later runs try it first.
#
# Usage: bench/fuzz.sh [CASES]      default 5000 cases per property
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cases=${1:-5000}
[[ $cases =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: CASES must be a positive whole number, got '$cases'" >&2; exit 1; }

cd "$repo"
echo "fuzz: $cases cases per property, release build" >&2
PROPTEST_CASES=$cases cargo test --release --test properties -- --test-threads=2
