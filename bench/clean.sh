#!/usr/bin/env bash
# Throughput of `verbatim clean` on one core (MB of raw input per second). Measures,
# asserts nothing. Usage: bash bench/clean.sh [PAGES_PER_FIXTURE]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release --example clean-bench -- "${1:-150}"
