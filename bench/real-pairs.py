#!/usr/bin/env python3
"""Precision and recall of `verbatim clean` on real spun pages with their originals.

Usage: python3 bench/real-pairs.py DIR [--aggressive] [--spun] [--joined] [-v]
       VERBATIM=/path/to/verbatim python3 bench/real-pairs.py DIR   (another binary,
       e.g. an earlier commit's, for a before/after comparison)
       CLEAN_ROOT=SITE python3 bench/real-pairs.py DIR   (the site folder whose
       site.yml `clean:` settings are used, e.g. one naming your thesaurus; default:
       this repository)

DIR holds pairs NN-spun.txt / NN-original.txt: a real spinner's output and the
passage of the original article it was made from (third-party text: keep DIR
outside the repository; bench/real-pairs.md lists where the pairs come from).

For each pair the spun text is cleaned by target/release/verbatim (into a temp
folder), then original, spun and cleaned text are aligned with difflib, over
characters for Chinese and over words for English:

  spun segment   a place where the spun text differs from the original
  right          the cleaned text equals the original there
  partly right   the cleaned text is not the original there, but every word the
                 cleaner put in is one the original has there: a right
                 restoration inside a longer spun segment
  wrong          the cleaner changed the place otherwise; also any change the
                 cleaner made where spun and original agreed (a false alarm)
  left           a spun segment the cleaner did not touch

precision = (right + partly right) / (right + partly right + wrong),
recall = right / spun segments.
--joined scores all pairs of one language as one page (the real snippets are
short, and the cleaner's page gate needs several spun words on a page);
-v lists every miss.
Segments that differ only in punctuation are not counted.
"""
import atexit
import difflib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

REPO = pathlib.Path(__file__).resolve().parent.parent
BINARY = pathlib.Path(os.environ.get("VERBATIM", REPO / "target" / "release" / "verbatim"))
# The site whose `clean:` settings (site.yml) the cleaner reads.
ROOT = pathlib.Path(os.environ.get("CLEAN_ROOT", REPO))
PUNCT = re.compile(r"^[\W_]*$")


def is_chinese(text):
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    letters = sum(1 for c in text if c.isalpha())
    return cjk * 2 > letters


def tokens(text, zh):
    """Characters (Chinese) or words and punctuation marks (English), after
    NFKC (the cleaner may turn ',' into '，'; that is not a spun word)."""
    text = unicodedata.normalize("NFKC", text).replace("――", "—").replace("——", "—")
    if zh:
        return [c for c in text if not c.isspace()]
    return re.findall(r"\w+(?:[-'’]\w+)*|[^\w\s]", text)


def clean(spun_file, flags):
    """Run `verbatim clean` on one file; return the body of the Markdown it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / spun_file.name
        src.write_text(spun_file.read_text(encoding="utf-8"), encoding="utf-8")
        out = pathlib.Path(tmp) / "out"
        cmd = [str(BINARY), "clean", str(src), "--root", str(ROOT), "--out", str(out),
               "--report", str(pathlib.Path(tmp) / "report.json")]
        cmd.extend(flags)
        subprocess.run(cmd, check=True, capture_output=True)
        md = next(out.rglob("*.md")).read_text(encoding="utf-8")
    # Drop the YAML front matter; the body follows the second '---' line.
    if md.startswith("---"):
        md = md.split("\n---\n", 1)[1]
    # Markdown escapes and the bold of speaker labels (`**Q:**`) are not text.
    return md.replace("\\", "").replace("**", "")


def boundary_map(a, b):
    """For each position in a, the range of b it maps to: exact inside equal
    blocks, the whole changed block otherwise (lo, hi, a_lo, a_hi)."""
    lo, hi, alo, ahi = {}, {}, {}, {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        for i in range(i1, i2 + 1):
            if tag == "equal":
                lo.setdefault(i, j1 + i - i1); alo.setdefault(i, i)
                hi[i] = j1 + i - i1; ahi[i] = i
            else:
                lo.setdefault(i, j1); alo.setdefault(i, i1)
                hi[i] = j2; ahi[i] = i2
    return lo, hi, alo, ahi


def partly_right(spun, got, expected):
    """Whether every token the cleaner put into a span is one the original has there:
    a right restoration inside a longer spun span (取得常识 → 取得知识 where the writer
    had 获得知识), not a wrong one (运用 → 使用 where the writer had 应用)."""
    fold = lambda tokens: [t.casefold() for t in tokens]
    added = set(fold(got)) - set(fold(spun))
    return bool(added) and added <= set(fold(expected))


def score(orig, spun, cleaned, zh):
    o, s, c = tokens(orig, zh), tokens(spun, zh), tokens(cleaned, zh)
    join = "".join if zh else " ".join
    same = lambda x, y: join(x).casefold() == join(y).casefold()
    lo, hi, alo, ahi = boundary_map(s, c)
    counts = {"spun": 0, "right": 0, "partly": 0, "wrong": 0, "left": 0}
    misses, covered = [], set()
    segments = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, o, s, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # In Chinese, 构造 → 结构 aligns as two edits around a shared character: one swap.
        if zh and segments and i1 - segments[-1][1] <= 1 and j1 - segments[-1][3] <= 1:
            segments[-1][1], segments[-1][3] = i2, j2
        else:
            segments.append([i1, i2, j1, j2])
    for i1, i2, j1, j2 in segments:
        if PUNCT.match(join(o[i1:i2])) and PUNCT.match(join(s[j1:j2])):
            continue
        counts["spun"] += 1
        # Widen the spun span to whole cleaner edits that overlap it; the
        # widened parts equal the original, so the expected text widens too.
        a, b = alo[j1], ahi[j2]
        covered.update(range(a, max(b, a + 1)))
        expected = s[a:j1] + o[i1:i2] + s[j2:b]
        got = c[lo[j1]:hi[j2]]
        if same(got, expected):
            counts["right"] += 1
        elif same(got, s[a:b]):
            counts["left"] += 1
            misses.append(("left", join(s[j1:j2]), join(o[i1:i2])))
        elif partly_right(s[a:b], got, expected):
            counts["partly"] += 1
            misses.append(("partly right", join(s[a:b]) + " → " + join(got), join(expected)))
        else:
            counts["wrong"] += 1
            misses.append(("wrong", join(s[a:b]) + " → " + join(got), join(expected)))
    # Cleaner edits where spun and original agreed are false alarms. An insertion right
    # after a spun span is part of its edit: 体系 → 系统 aligns as a deletion before the
    # shared 系 and an insertion after it, as the segments above are merged.
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, s, c, autojunk=False).get_opcodes():
        start = i1 - 1 if zh and i1 == i2 and i1 > 0 else i1
        if tag != "equal" and not covered.intersection(range(start, max(i2, i1 + 1))):
            counts["wrong"] += 1
            misses.append(("false alarm", join(s[i1:i2]) + " → " + join(c[j1:j2]), join(s[i1:i2])))
    return counts, misses


def join_pairs(folder, tmp):
    """All pairs of one language as one pair: en-spun.txt / en-original.txt, zh-…"""
    texts = {}
    for spun_file in sorted(folder.glob("*-spun.txt")):
        orig = spun_file.with_name(spun_file.name.replace("-spun", "-original")).read_text(encoding="utf-8")
        lang = "zh" if is_chinese(orig) else "en"
        spun = spun_file.read_text(encoding="utf-8")
        texts.setdefault(lang, ([], []))
        texts[lang][0].append(spun.strip())
        texts[lang][1].append(orig.strip())
    for lang, (spun, orig) in texts.items():
        (tmp / f"{lang}-spun.txt").write_text("\n\n".join(spun) + "\n", encoding="utf-8")
        (tmp / f"{lang}-original.txt").write_text("\n\n".join(orig) + "\n", encoding="utf-8")
    return tmp


def precision(counts):
    """The share of changed spans with nothing restored wrongly (right or partly right)."""
    good = counts["right"] + counts["partly"]
    return ratio(good, good + counts["wrong"])


def ratio(n, d):
    return f"{n / d:.2f}" if d else "  - "


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    if len(args) != 1:
        sys.exit(__doc__)
    # Options passed on to `verbatim clean`.
    flags = [a for a in ("--aggressive", "--spun") if a in sys.argv]
    verbose = "-v" in sys.argv
    folder = pathlib.Path(args[0])
    if "--joined" in sys.argv:
        tmp = tempfile.mkdtemp()
        atexit.register(shutil.rmtree, tmp)
        folder = join_pairs(folder, pathlib.Path(tmp))
    total = {"spun": 0, "right": 0, "partly": 0, "wrong": 0, "left": 0}
    print(f"{'pair':<6}{'lang':<5}{'spun':>5}{'right':>6}{'partly':>7}{'wrong':>6}{'left':>5}  precision recall")
    for spun_file in sorted(folder.glob("*-spun.txt")):
        pair = spun_file.name[: -len("-spun.txt")]
        orig = spun_file.with_name(pair + "-original.txt").read_text(encoding="utf-8")
        spun = spun_file.read_text(encoding="utf-8")
        zh = is_chinese(orig)
        counts, misses = score(orig, spun, clean(spun_file, flags), zh)
        for k in total:
            total[k] += counts[k]
        print(f"{pair:<6}{'zh' if zh else 'en':<5}{counts['spun']:>5}{counts['right']:>6}{counts['partly']:>7}"
              f"{counts['wrong']:>6}{counts['left']:>5}  "
              f"{precision(counts):>9} {ratio(counts['right'], counts['spun']):>6}")
        if verbose:
            for kind, spun_part, want in misses:
                print(f"        {kind}: {spun_part}   (original: {want})")
    print(f"{'total':<11}{total['spun']:>5}{total['right']:>6}{total['partly']:>7}{total['wrong']:>6}{total['left']:>5}  "
          f"{precision(total):>9} {ratio(total['right'], total['spun']):>6}")


if __name__ == "__main__":
    main()
