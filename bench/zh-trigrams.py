#!/usr/bin/env python3
"""Would SunPinyin's trigrams help the Chinese despin model? Scores the Chinese spun twins
(the spinner and thesaurus of tests/despin_twins.rs) with SunPinyin's language model
twice, with its bigrams alone and with its trigrams too, and prints for each how often
the model alone picks the right candidate and how many swaps it restores at 95 %
precision, counting as wrong every thesaurus word the writer chose (on the clean texts
and on the spun ones) that it would change. Measures, asserts nothing; the model is not
shipped (its trigrams are 39 MB, past the cleaner's data budget).

Needs the model and two Python packages:
  apt-get download sunpinyin-data && dpkg-deb -x sunpinyin-data_*.deb x
  pip install jieba==0.42.1 numpy
  python3 bench/zh-trigrams.py x/usr/lib/x86_64-linux-gnu/sunpinyin/data

The model's layout is the one tools/despin-zh-bigrams.py reads; the third level is of
leaves of 8 bytes: word id 18 bits, probability index low 14 bits, back-off node 23,
back-off level 2, probability index high 2.
"""
import collections
import glob
import re
import struct
import sys
from pathlib import Path

import jieba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TWINS = ROOT / "tests/fixtures/despin"
UNKNOWN = -20.0  # log probability of a word the model does not know
# A clause ends at these marks: the model's context does not cross them.
CLAUSE_END = re.compile(r"[。，！？；：、\n“”「」（）()《》…—,.!?;:]")


def load_model(folder):
    """Word ids, unigrams {id: (log p, log backoff)}, bigrams {(a, b): (log p, log
    backoff)} and trigrams {(a, b, c): log p}, natural logarithms."""
    lexicon = Path(folder, "pydict_sc.bin").read_bytes()
    count, _, at = struct.unpack_from("<III", lexicon, 0)
    ids = {}
    for wid in range(count):
        chars = []
        while (code := struct.unpack_from("<I", lexicon, at)[0]) != 0:
            chars.append(chr(code))
            at += 4
        at += 4
        ids.setdefault("".join(chars), wid)
    model = Path(folder, "lm_sc.t3g").read_bytes()
    levels, _ = struct.unpack_from("<II", model, 0)
    sizes = struct.unpack_from(f"<{levels + 1}I", model, 8)
    at = 8 + 4 * (levels + 1)
    with np.errstate(divide="ignore"):
        probabilities = np.log(np.frombuffer(model, "<f4", 1 << 16, at).astype(float))
    at += 4 * (1 << 16)
    backoffs = np.frombuffer(model, "<f4", 1 << 14, at).astype(float)
    backoffs = np.log(np.where(backoffs > 0, backoffs, 1.0))
    at += 4 * (1 << 14) + 12 * sizes[0]

    def nodes(at, count):
        raw = np.frombuffer(model, "<u4", 3 * count, at).reshape(count, 3)
        wid, bow, pr = raw[:, 0] & 0x3FFFF, raw[:, 0] >> 18, raw[:, 1] & 0xFFFF
        child = ((raw[:, 2] >> 25) << 16) + (raw[:, 1] >> 16)
        return wid, probabilities[pr], backoffs[bow], child

    first = nodes(at, sizes[1])
    at += 12 * sizes[1]
    second = nodes(at, sizes[2])
    at += 12 * sizes[2]
    leaves = np.frombuffer(model, "<u4", 2 * sizes[3], at).reshape(sizes[3], 2)
    third_word = leaves[:, 0] & 0x3FFFF
    third_p = probabilities[(((leaves[:, 1] >> 25) & 0x3) << 14) | (leaves[:, 0] >> 18)]
    unigrams, bigrams, trigrams = {}, {}, {}
    for i in range(sizes[1] - 1):
        a = int(first[0][i])
        unigrams[a] = (first[1][i], first[2][i])
        for j in range(int(first[3][i]), int(first[3][i + 1])):
            b = int(second[0][j])
            bigrams[(a, b)] = (second[1][j], second[2][j])
            for k in range(int(second[3][j]), int(second[3][j + 1])):
                trigrams[(a, b, int(third_word[k]))] = third_p[k]
    print(f"{len(unigrams)} words, {len(bigrams)} bigrams, {len(trigrams)} trigrams")
    return ids, unigrams, bigrams, trigrams


def unspun_texts():
    """The body of every Chinese sample interview, and the two clean fixtures."""
    texts = []
    for path in sorted(glob.glob(str(ROOT / "content/interviews/**/*.md"), recursive=True)):
        text = Path(path).read_text()
        parts = text.split("\n---\n", 1)
        if text.startswith("---\n") and len(parts) == 2 and "\nlang: zh\n" in parts[0] + "\n":
            texts.append(parts[1])
    for name in ["zh-clean.txt", "zh-casino.txt"]:
        texts.append((ROOT / "tests/fixtures/clean" / name).read_text())
    return texts


def table_lines(name):
    lines = (TWINS / name).read_text().splitlines()
    return [l for l in lines if "=" in l and not l.startswith("#")]


def spin(text, pairs):
    """The test's spinner: left to right, longest original first. Returns the spun text
    and each swap as (offset, spun form, original)."""
    out, swaps, i, length = [], [], 0, 0
    while i < len(text):
        for original, spun in pairs:
            if text.startswith(original, i):
                swaps.append((length, spun, original))
                out.append(spun)
                length += len(spun)
                i += len(original)
                break
        else:
            out.append(text[i])
            length += 1
            i += 1
    return "".join(out), swaps


class Scorer:
    def __init__(self, model, order):
        self.ids, self.unigrams, self.bigrams, self.trigrams = model
        self.order = order
        self.cuts = {}

    def tokens(self, text):
        if text not in self.cuts:
            words = [w for w in jieba.cut(text, HMM=False) if w.strip()]
            self.cuts[text] = [i for w in words for i in self.word_ids(w)]
        return self.cuts[text]

    def word_ids(self, word):
        """A word the model knows, or its characters."""
        return [self.ids[word]] if word in self.ids else [self.ids.get(c) for c in word]

    def bigram(self, a, b):
        if b is None or b not in self.unigrams:
            return UNKNOWN
        if (a, b) in self.bigrams:
            return self.bigrams[(a, b)][0]
        return (self.unigrams[a][1] if a in self.unigrams else 0.0) + self.unigrams[b][0]

    def trigram(self, a, b, c):
        if (a, b, c) in self.trigrams:
            return self.trigrams[(a, b, c)]
        backoff = self.bigrams[(a, b)][1] if (a, b) in self.bigrams else 0.0
        return backoff + self.bigram(b, c)

    def clause_with(self, text, start, end, word):
        """Log probability of the clause around text[start:end] with `word` there, from
        the word on (the words before it are the same for every reading)."""
        left, right = start, end
        while left > 0 and not CLAUSE_END.match(text[left - 1]):
            left -= 1
        while right < len(text) and not CLAUSE_END.match(text[right]):
            right += 1
        # The marks around the clause are words of the model: many of its trigrams end
        # with one (`很不 顺利 ，`).
        opening = [self.ids[text[left - 1]]] if left > 0 and text[left - 1] in self.ids else []
        closing = [self.ids[text[right]]] if right < len(text) and text[right] in self.ids else []
        before = opening + self.tokens(text[left:start])
        ids = before + self.word_ids(word) + self.tokens(text[end:right]) + closing
        total = 0.0
        for i in range(len(before), len(ids)):
            a = ids[i - 2] if i > 1 else None
            b = ids[i - 1] if i > 0 else None
            total += self.trigram(a, b, ids[i]) if self.order == 3 else self.bigram(b, ids[i])
        return total

    def weigh(self, text, start, end, groups):
        """The best candidate for the word at text[start:end] and its lead over every
        other reading, keeping the word included (nats)."""
        word = text[start:end]
        scores = {c: self.clause_with(text, start, end, c) for c in sorted(groups[word])}
        best = max(scores, key=scores.get)
        others = [s for c, s in scores.items() if c != best]
        return best, scores[best] - max(others + [self.clause_with(text, start, end, word)])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    jieba.setLogLevel(60)
    model = load_model(sys.argv[1])
    pairs = sorted(
        (tuple(part.strip() for part in l.split("=", 1)) for l in table_lines("twin-zh.txt")),
        key=lambda p: -len(p[0]),
    )
    groups = collections.defaultdict(set)
    for line in table_lines("thesaurus-zh.txt"):
        words = line.split("=", 1)[1].split()
        for w in words:
            groups[w].update(x for x in words if x != w)
    for order in (2, 3):
        scorer = Scorer(model, order)
        swaps, writers = [], []
        for text in unspun_texts():
            spun, made = spin(text, pairs)
            at = {offset for offset, _, _ in made}
            for offset, form, original in made:
                best, lead = scorer.weigh(spun, offset, offset + len(form), groups)
                swaps.append((best == original, lead))
            # The writer's own thesaurus words, on the clean text and left on the spun one.
            for page, skip in ((text, set()), (spun, at)):
                for word in groups:
                    for m in re.finditer(re.escape(word), page):
                        if m.start() not in skip:
                            writers.append(scorer.weigh(page, m.start(), m.end(), groups)[1])
        right = sum(1 for ok, lead in swaps if ok and lead > 0)
        best = (0, 0.0, 0)
        for bar in (x / 4 for x in range(0, 80)):
            restored = sum(1 for ok, lead in swaps if ok and lead > bar)
            wrong = sum(1 for ok, lead in swaps if not ok and lead > bar)
            wrong += sum(1 for lead in writers if lead > bar)
            if restored and restored / (restored + wrong) >= 0.95 and restored > best[0]:
                best = (restored, bar, wrong)
        name = "bigrams" if order == 2 else "bigrams and trigrams"
        print(
            f"{name:<22} swaps {len(swaps)}  best reading right {right}"
            f"  writer's words {len(writers)}"
            f"  at 95 % precision: {best[0]} restored ({best[0] / len(swaps):.1%}), "
            f"{best[2]} wrong, bar {best[1]:.2f} nats"
        )


if __name__ == "__main__":
    main()
