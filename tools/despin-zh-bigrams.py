#!/usr/bin/env python3
"""Builds src/clean/data/zh-bigrams.txt.gz, the Chinese word-pair model of the despin
pass, from Debian's `sunpinyin-data` package (the open-gram language model).

Input: the folder that holds lm_sc.t3g and pydict_sc.bin, e.g. after
  apt-get download sunpinyin-data && dpkg-deb -x sunpinyin-data_*.deb x
  python3 tools/despin-zh-bigrams.py x/usr/lib/x86_64-linux-gnu/sunpinyin/data OUT

pydict_sc.bin: a header of three little-endian u32 (word count, node count, offset of
the strings), then at that offset every word as a NUL-terminated UTF-32 string, in
word-id order. lm_sc.t3g: u32 N (3), u32 "log probabilities" flag, N + 1 level sizes,
a table of 2^16 probabilities and one of 2^14 backoff weights (f32), then the levels:
nodes of 12 bytes (word id 18 bits, backoff index 14, probability index 16, child
index low 16, backoff node 23, backoff level 2, child index high 7), and the last
level as leaves of 8 bytes. Level 1 holds the unigrams, level 2 the bigrams.

Output, one `#` header and then two kinds of lines, costs in quarter nats (4 * -ln p,
rounded):
  word<TAB>unigram cost<TAB>backoff cost       every Chinese word of the model
  first<TAB>step cost step cost ...            the bigrams whose probability beats the
                                               backoff estimate by more than MIN_GAIN:
                                               each second word by its number (its line
                                               among the word lines, from 0), written as
                                               the step from the previous second word
"""
import gzip
import math
import re
import struct
import sys

MIN_GAIN = 1.0  # nats: a bigram no better than its backoff estimate adds nothing
CHINESE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")

folder, out = sys.argv[1:3]

lexicon = open(f"{folder}/pydict_sc.bin", "rb").read()
word_count, _, strings = struct.unpack_from("<III", lexicon, 0)
words = []
at = strings
for _ in range(word_count):
    chars = []
    while True:
        (code,) = struct.unpack_from("<I", lexicon, at)
        at += 4
        if code == 0:
            break
        chars.append(chr(code))
    words.append("".join(chars))

model = open(f"{folder}/lm_sc.t3g", "rb").read()
levels_n, use_log = struct.unpack_from("<II", model, 0)
assert levels_n == 3 and use_log == 0, "expected a trigram model of plain probabilities"
sizes = struct.unpack_from(f"<{levels_n + 1}I", model, 8)
at = 8 + 4 * (levels_n + 1)
probabilities = struct.unpack_from(f"<{1 << 16}f", model, at)
at += 4 * (1 << 16)
backoffs = struct.unpack_from(f"<{1 << 14}f", model, at)
at += 4 * (1 << 14)


def nodes(level_at, count):
    for i in range(count):
        a, b, c = struct.unpack_from("<III", model, level_at + 12 * i)
        yield a & 0x3FFFF, a >> 18, b & 0xFFFF, ((c >> 25) << 16) + (b >> 16)


at += 12 * sizes[0]
unigrams = list(nodes(at, sizes[1]))
at += 12 * sizes[1]
bigrams = list(nodes(at, sizes[2]))


def cost(p):
    return min(255, round(-4 * math.log(p)))


unigram = {}
for wid, bow, pr, _ in unigrams[:-1]:
    word = words[wid]
    if CHINESE.match(word) and probabilities[pr] > 0:
        backoff = backoffs[bow] if backoffs[bow] > 0 else 1.0
        unigram[wid] = (math.log(probabilities[pr]), math.log(backoff))

pairs = {}
for i, (first, _, _, child) in enumerate(unigrams[:-1]):
    if first not in unigram:
        continue
    end = unigrams[i + 1][3]
    for second, _, pr, _ in bigrams[child:end]:
        if second not in unigram or probabilities[pr] <= 0:
            continue
        log_p = math.log(probabilities[pr])
        if log_p - (unigram[first][1] + unigram[second][0]) > MIN_GAIN:
            pairs.setdefault(first, []).append((second, cost(probabilities[pr])))

with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
    f.write(
        "# Chinese word and word-pair costs for the despin pass (src/clean/despin/pairs.rs),\n"
        "# in quarter nats (4 * -ln p). Lines with three fields: word, unigram cost, backoff cost.\n"
        "# Lines with two: a first word, then `step cost` pairs (bigram costs): the second\n"
        "#   word is numbered by its line among the word lines (from 0), as the step from the\n"
        "#   previous second word of the line.\n"
        "# Source: the open-gram language model of SunPinyin, as shipped in Debian's\n"
        "#   sunpinyin-data 0.1.22+20170109-2 (lm_sc.t3g, pydict_sc.bin),\n"
        "#   https://github.com/sunpinyin/open-gram; Copyright (c) 1997-2010 MDBG,\n"
        "#   (c) 2010 Kov Chai, virus huo, Tinyfool. Licence: Creative Commons\n"
        "#   Attribution-ShareAlike 3.0 Unported (https://creativecommons.org/licenses/by-sa/3.0/).\n"
        "#   Adapted for Verbatim: Chinese words only, bigrams that beat their backoff\n"
        f"#   estimate by more than {MIN_GAIN} nat, costs rounded; this file is shared under the same licence.\n"
        "# Regenerate with tools/despin-zh-bigrams.py.\n"
    )
    order = sorted(unigram, key=lambda w: words[w])
    number = {wid: n for n, wid in enumerate(order)}
    for wid in order:
        log_p, log_bow = unigram[wid]
        f.write(f"{words[wid]}\t{cost(math.exp(log_p))}\t{round(-4 * log_bow)}\n")
    for first in sorted(pairs, key=lambda w: words[w]):
        steps = []
        previous = 0
        for n, c in sorted((number[w], c) for w, c in pairs[first]):
            steps.append(f"{n - previous} {c}")
            previous = n
        f.write(f"{words[first]}\t{' '.join(steps)}\n")
print(f"{len(unigram)} words, {sum(map(len, pairs.values()))} bigrams", file=sys.stderr)
