#!/usr/bin/env bash
# Spun twins: spins the project's own unspun texts with spinners the restoration tables
# do not contain, restores them, and prints precision and recall per spinner family
# (tests/despin_twins.rs holds the thresholds). Usage: bash bench/despin-twins.sh
# DESPIN_TWINS_DEV=1 spins the other half of the English words instead: the development
# split on which the model's settings are chosen (the default split is the reported one).
# DESPIN_TWINS_THESAURUS=FILE restores the Chinese twins with that thesaurus (Cilin's
# format, e.g. a Cilin copy the project may not ship) instead of the test fixture.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --quiet --test despin_twins -- --nocapture --test-threads 1 2>/dev/null \
  | grep -oE '(zh|en) [^0-9]+ +spun .*' || { echo "the twin evaluation failed: run cargo test --test despin_twins" >&2; exit 1; }
