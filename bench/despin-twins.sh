#!/usr/bin/env bash
# Spun twins: spins the project's own unspun texts with spinners the restoration tables
# do not contain, restores them, and prints precision and recall per spinner family
# (tests/despin_twins.rs holds the thresholds). Usage: bash bench/despin-twins.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --quiet --test despin_twins -- --nocapture --test-threads 1 2>/dev/null \
  | grep -E '^(zh|en) ' || { echo "the twin evaluation failed: run cargo test --test despin_twins" >&2; exit 1; }
