#!/usr/bin/env bash
# Real pages, scored: runs `verbatim clean` over a folder of saved pages (kept outside the
# repository: third-party text) and checks each page's expectations file. Measures,
# asserts nothing.
#
# Usage: bash bench/real-pages.sh DIR [VERBATIM_BINARY]
#
# DIR holds pages (NAME.html / NAME.htm / NAME.txt) and, beside each, NAME.expect:
#     # comment lines (the page's address, what it shows)
#     gone: a string that must not be in the cleaned article
#     stay: a string that must be in the cleaned article
# A page is counted as clean (a negative: nothing of its article may go) when its name
# starts with `c` or its first comment line says so right after the address
# (`# https://…: clean: what it shows`); every other page counts as polluted.
# Strings are compared after NFKC folding (full-width and half-width punctuation are the
# same) with white space and Markdown marks (`*`, `#`, `>`, `\`) removed, so the
# cleaner's punctuation repair and bold speaker labels are not misses; a string of
# such marks alone (`******`) is looked for as written.
# A page the cleaner refuses counts every `stay:` as missed and every `gone:` as gone.
# bench/real-pages.md lists the pages used for the closing note of issue 8.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:?usage: bash bench/real-pages.sh DIR [VERBATIM_BINARY]}"
BIN="${2:-}"
if [[ -z "$BIN" ]]; then
    cargo build --quiet --release
    BIN="target/release/verbatim"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/site" "$work/out"
shopt -s nullglob
pages=("$DIR"/*.html "$DIR"/*.htm "$DIR"/*.txt)
"$BIN" clean "${pages[@]}" --root "$work/site" --out "$work/out" --force \
    --report "$work/report.json" > "$work/clean.log" 2>&1 || true
python3 - "$DIR" "$work/out" "$work/clean.log" <<'PY'
import pathlib, re, sys, unicodedata

pages, out, log = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]

def fold(text):
    # White space and Markdown marks (bold speaker labels, escapes) do not count.
    return re.sub(r"[\s*#>\\]+", "", unicodedata.normalize("NFKC", text))

def slug(stem):
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", stem.lower())).strip("-")

totals = {"polluted": [0, 0, 0, 0], "clean": [0, 0, 0, 0]}
misses, refused = [], []
for expect in sorted(pages.glob("*.expect")):
    first = expect.read_text().split("\n", 1)[0]
    marked = re.match(r"#\s*\S+:\s*clean\b", first) is not None
    kind = "clean" if expect.stem.startswith("c") or marked else "polluted"
    article = out / f"{slug(expect.stem)}.md"
    raw = article.read_text() if article.exists() else None
    text = fold(raw) if raw is not None else None
    if text is None:
        refused.append(expect.stem)
    for line in expect.read_text().splitlines():
        key, _, wanted = line.partition(": ")
        if key not in ("gone", "stay") or not wanted:
            continue
        # A string of Markdown marks alone (`******`) is looked for as written.
        present = text is not None and (fold(wanted) in text if fold(wanted) else wanted in raw)
        t = totals[kind]
        if key == "gone":
            t[0] += 1
            t[1] += not present
            if present:
                misses.append(f"{expect.stem}: still there: {wanted}")
        else:
            t[2] += 1
            t[3] += present
            if not present:
                misses.append(f"{expect.stem}: lost: {wanted}")

def share(done, total):
    return f"{done}/{total} ({100 * done / total:.0f} %)" if total else "-"

for kind, (gone_total, gone, stay_total, stayed) in totals.items():
    print(f"{kind:9} must-be-gone removed {share(gone, gone_total):>16}   must-stay kept {share(stayed, stay_total):>16}")
print(f"refused: {len(refused)}" + (f" ({', '.join(refused)})" if refused else ""))
print("misses:")
for miss in misses:
    print("  " + miss)
PY
