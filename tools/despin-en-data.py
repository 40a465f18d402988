#!/usr/bin/env python3
"""Builds the English despin data under src/clean/data/ from two shippable sources.

Inputs (give their paths as arguments):
  moby.txt   the Moby thesaurus (public domain), as shipped in the `thesaurus-moby`
             crate (src/moby.txt in its package).
  unigrams   symspellpy's frequency_dictionary_en_82_765.txt (MIT; counts from the
             Google Books Ngram data, CC BY 3.0, and SCOWL).

Outputs (gzip, each with a `#` header naming its source and licence):
  en-words.txt.gz     word<TAB>count
  en-thesaurus.txt.gz spun<TAB>original,original,... : for a word a spinner may have
                      written, the common words whose Moby row lists it, most frequent
                      first. Single words only: known to the frequency list, or
                      hyphenated compounds (man-made), which spinners favour.

The word-pair model is en-pairs.txt.gz, from tools/despin-en-pairs.py.
"""
import gzip
import sys

MIN_ORIGINAL = 1_000_000  # originals are ordinary words
MAX_ORIGINALS = 30

moby, unigram_path, out = sys.argv[1:4]

unigrams = {}
for line in open(unigram_path, encoding="utf-8"):
    word, count = line.split()
    unigrams[word] = int(count)

reverse = {}
for line in open(moby, encoding="utf-8", errors="replace"):
    fields = line.rstrip("\n").split(",")
    root = fields[0].strip().lower()
    if unigrams.get(root, 0) < MIN_ORIGINAL:
        continue
    for syn in fields[1:]:
        syn = syn.strip().lower()
        hyphenated = "-" in syn and all(part.isalpha() for part in syn.split("-"))
        if syn == root or " " in syn or (syn not in unigrams and not hyphenated):
            continue
        reverse.setdefault(syn, set()).add(root)

HEADER_FREQ = """# {what}, from symspellpy 6.10.1 ({name}; MIT licence,
# counts derived from the Google Books Ngram data, CC BY 3.0, and SCOWL).
# Regenerate with tools/despin-en-data.py.
"""

with gzip.open(f"{out}/en-words.txt.gz", "wt", encoding="utf-8", compresslevel=9) as f:
    f.write(HEADER_FREQ.format(what="English word counts", name="frequency_dictionary_en_82_765.txt"))
    for word, count in unigrams.items():
        f.write(f"{word}\t{count}\n")

with gzip.open(f"{out}/en-thesaurus.txt.gz", "wt", encoding="utf-8", compresslevel=9) as f:
    f.write("""# English spun-word candidates: for each word a spinner may have written, the
# ordinary words (count >= 1,000,000 in en-words) whose row in the Moby thesaurus
# lists it, most frequent first. Moby thesaurus by Grady Ward: public domain
# ("Use, sell, rework, excerpt and use in any way on any platform"), as shipped
# in the thesaurus-moby crate. Regenerate with tools/despin-en-data.py.
""")
    for syn in sorted(reverse):
        roots = sorted(reverse[syn], key=lambda r: -unigrams[r])[:MAX_ORIGINALS]
        f.write(f"{syn}\t{','.join(roots)}\n")
