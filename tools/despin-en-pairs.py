#!/usr/bin/env python3
"""Builds src/clean/data/en-pairs.txt.gz, the English word-pair model of the despin pass,
from CMU Sphinx's generic US English language model (en-us.lm.bin, in Debian's
`pocketsphinx-en-us` package or pocketsphinx's source tree, model/en-us/).

Needs the `pocketsphinx` Python package (PyPI, 5.x) to read the model's binary trie:
  apt-get download pocketsphinx-en-us && dpkg-deb -x pocketsphinx-en-us_*.deb x
  pip install pocketsphinx
  python3 tools/despin-en-pairs.py x/usr/share/pocketsphinx/model/en-us/en-us.lm.bin \
      x/usr/share/doc/pocketsphinx-en-us/copyright OUT

How the model is read. pocketsphinx's ARPA writer (NGramModel.write) writes the
unigrams and then the bigrams, ordered by their second word as the unigrams are, and
crashes on this model before the trigrams (sphinxbase 0.8's writer fails an assertion
at the same place: the trie holds fewer bigrams than its header counts), losing the end
of its output buffer. So the writer runs in a child process, the tool reads the complete
lines it wrote, and for the second words from the last one written on it asks the
model itself (NGramModel.prob) for the probability of every pair: a pair the model does
not list gets exactly its backoff estimate, so the filter below selects the same pairs
either way. Trigrams are not used.

Output, one `#` header and then two kinds of lines, costs in quarter nats (4 * -ln p,
rounded), the format of zh-bigrams.txt.gz:
  word<TAB>unigram cost<TAB>backoff cost       every word of the model made of letters
                                               (inner hyphens and apostrophes allowed)
  first<TAB>step cost step cost ...            the bigrams whose probability beats the
                                               backoff estimate by more than MIN_GAIN:
                                               each second word by its number (its line
                                               among the word lines, from 0), written as
                                               the step from the previous second word
"""
import gzip
import math
import os
import re
import subprocess
import sys
import tempfile

MIN_GAIN = float(os.environ.get("MIN_GAIN", "1.0"))  # nats over the backoff estimate
WORD = re.compile(r"^[a-z]+(?:['-][a-z]+)*$")
LN10 = math.log(10)
LOG_BASE = math.log(1.0001)  # pocketsphinx's LogMath base for NGramModel.prob

model_path, copyright_path, out = sys.argv[1:4]

import pocketsphinx  # noqa: E402  (after the usage is read)

arpa = tempfile.NamedTemporaryFile(suffix=".arpa", delete=False).name
subprocess.run(
    [
        sys.executable,
        "-c",
        "import pocketsphinx as ps, sys\n"
        "m = ps.NGramModel.readfile(sys.argv[1])\n"
        "m.write(sys.argv[2], ps.NGramModel.str_to_type('arpa'))\n",
        model_path,
        arpa,
    ],
    check=False,  # expected to crash after the bigrams (see above)
)

unigram = {}  # word -> (ln p, ln backoff)
order = []  # the unigrams in the file's order
bigrams = []  # (first, second, ln p), complete lines only
section = None
with open(arpa, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        if line.startswith("\\"):
            section = line
            continue
        fields = line.split("\t")
        if section == "\\1-grams:" and len(fields) == 3:
            word = fields[1]
            order.append(word)
            unigram[word] = (float(fields[0]) * LN10, float(fields[2]) * LN10)
        elif section == "\\2-grams:" and len(fields) == 4:
            bigrams.append((fields[1], fields[2], float(fields[0]) * LN10))
os.unlink(arpa)
rank = {w: i for i, w in enumerate(order)}
# The last second word written may have lost pairs with the buffer: ask the model for it
# and every later one.
last = bigrams[-1][1]
assert all(rank[a[1]] <= rank[b[1]] for a, b in zip(bigrams, bigrams[1:])), "unexpected order"
tail = order[rank[last]:]
bigrams = [b for b in bigrams if rank[b[1]] < rank[last]]
written = len(bigrams)

kept_words = [w for w in order if WORD.match(w) and unigram[w][0] > -90]
kept = set(kept_words)
assert len(kept_words) > 70_000, f"only {len(kept_words)} words read"


def gain(first, second, log_p):
    return log_p - (unigram[first][1] + unigram[second][0])


pairs = {}
for first, second, log_p in bigrams:
    if first in kept and second in kept and gain(first, second, log_p) > MIN_GAIN:
        pairs.setdefault(first, []).append((second, log_p))

lm = pocketsphinx.NGramModel.readfile(model_path)
# The writer that crashes might have written garbage first: every unigram and every
# 97th bigram must agree with what the model itself says (the ARPA text has 4 decimals).
for w in kept_words:
    assert abs(lm.prob([w]) * LOG_BASE - unigram[w][0]) < 1e-3, f"unigram {w} disagrees"
for first, second, log_p in bigrams[::97]:
    if first in kept and second in kept:
        assert abs(lm.prob([second, first]) * LOG_BASE - log_p) < 1e-3, f"{first} {second}"
asked = 0
for second in tail:
    if second not in kept:
        continue
    for first in kept_words:
        log_p = lm.prob([second, first]) * LOG_BASE
        asked += 1
        if gain(first, second, log_p) > MIN_GAIN:
            pairs.setdefault(first, []).append((second, log_p))


def cost(log_p):
    return min(255, max(0, round(-4 * log_p)))


licence = open(copyright_path, encoding="utf-8").read()
# The licence of the model's files (`Files: *`), as the copyright file gives it.
block = licence.split("Files: *", 1)[1].split("\nFiles:", 1)[0]
holders = block.split("Copyright:", 1)[1].split("License:", 1)[0]
holders = [" ".join(h.split()) for h in holders.strip().split("\n")]
licence_text = block.split("License: BSD-2", 1)[1]
licence_lines = [l[1:] if l.startswith(" ") else l for l in licence_text.strip("\n").split("\n")]
licence_lines = ["" if l == "." else l for l in licence_lines]

number = {w: n for n, w in enumerate(kept_words)}
with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
    f.write(
        "# English word and word-pair costs for the despin pass (src/clean/despin/pairs.rs),\n"
        "# in quarter nats (4 * -ln p). Lines with three fields: word, unigram cost, backoff cost.\n"
        "# Lines with two: a first word, then `step cost` pairs (bigram costs): the second\n"
        "#   word is numbered by its line among the word lines (from 0), as the step from the\n"
        "#   previous second word of the line.\n"
        "# Source: CMU Sphinx's generic US English language model (en-us.lm.bin; 72,547 words,\n"
        "#   2,051,547 bigrams, 1,669,625 trigrams), as shipped in Debian's pocketsphinx-en-us\n"
        "#   0.8+5prealpha+1-15 and in https://github.com/cmusphinx/pocketsphinx (model/en-us).\n"
        + "".join(f"#   Copyright {h}\n" for h in holders)
        + "#   Licence: BSD-2-Clause, reproduced below as the licence requires.\n"
        "#   Adapted for Verbatim: words made of letters only (inner hyphens and apostrophes\n"
        f"#   allowed), bigrams that beat their backoff estimate by more than {MIN_GAIN} nat, no\n"
        "#   trigrams, costs rounded to quarter nats. Regenerate with tools/despin-en-pairs.py.\n"
        "#\n"
    )
    for l in licence_lines:
        f.write(f"#   {l}".rstrip() + "\n")
    for w in kept_words:
        log_p, log_bow = unigram[w]
        f.write(f"{w}\t{cost(log_p)}\t{round(-4 * log_bow)}\n")
    total = 0
    for first in kept_words:
        if first not in pairs:
            continue
        steps = []
        previous = 0
        for n, c in sorted((number[s], cost(p)) for s, p in pairs[first]):
            steps.append(f"{n - previous} {c}")
            previous = n
        total += len(steps)
        f.write(f"{first}\t{' '.join(steps)}\n")
print(
    f"{len(kept_words)} words, {written} bigrams read, {asked} pairs asked "
    f"({len(tail)} second words from {last!r}), {total} pairs kept",
    file=sys.stderr,
)
