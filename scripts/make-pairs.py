#!/usr/bin/env python3
"""Build ocr/data/vi-pairs.txt: the pairs of Vietnamese syllables that are seen side by side,
which `sohoa ocr` uses to choose between readings that differ only in a mark ("bố sung" or
"bổ sung", see docs/ocr.md "Marks from context").

Two public sources, both fetched from the npm registry:
  * @tesseract.js-data/vie, the standard tessdata `vie` model (Apache-2.0): its legacy
    bigram list (vie.bigram-dawg), unpacked with combine_tessdata and dawg2wordlist
    (Debian's tesseract-ocr);
  * @vntk/dictionary (MIT): the Viet74K word list, whose words of two syllables or more
    give the pairs inside each word.
Only pairs of lower-case Vietnamese syllables (at most 7 letters) are kept, NFC, sorted.

Output format, one line per first syllable:  <first><TAB><second> <second> ...
a second syllable written "+second" makes a word of the dictionary with the first (the
curated list weighs more than the web's bigrams, which hold common misspellings such as
"sư dụng"). Lines starting with '#' are comments. Run: python3 scripts/make-pairs.py [--out FILE]
"""

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LETTERS = ("a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợ"
           "ùúủũụưừứửữựỳýỷỹỵđ")
SYLLABLE = re.compile("^[%s]{1,7}$" % LETTERS)


def npm_unpack(package, into):
    """Fetches `package` with `npm pack` and unpacks it under `into`; returns its folder."""
    out = subprocess.run(["npm", "pack", "--silent", package], cwd=into, check=True,
                         capture_output=True, text=True).stdout.split()[-1]
    with tarfile.open(os.path.join(into, out)) as t:
        t.extractall(os.path.join(into, package.replace("/", "_")), filter="data")
    return os.path.join(into, package.replace("/", "_"), "package")


def tessdata_bigrams(tmp):
    pkg = npm_unpack("@tesseract.js-data/vie", tmp)
    model = os.path.join(tmp, "vie.traineddata")
    with gzip.open(os.path.join(pkg, "4.0.0", "vie.traineddata.gz")) as src, open(model, "wb") as dst:
        shutil.copyfileobj(src, dst)
    subprocess.run(["combine_tessdata", "-u", model, os.path.join(tmp, "vie.")], check=True,
                   capture_output=True)
    words = os.path.join(tmp, "bigrams.txt")
    subprocess.run(["dawg2wordlist", os.path.join(tmp, "vie.unicharset"),
                    os.path.join(tmp, "vie.bigram-dawg"), words], check=True, capture_output=True)
    with open(words, encoding="utf-8") as f:
        return [line.split() for line in f]


def dictionary_words(tmp):
    pkg = npm_unpack("@vntk/dictionary", tmp)
    with open(os.path.join(pkg, "data", "Viet74K.txt"), encoding="utf-8") as f:
        return [line.split() for line in f]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "ocr", "data", "vi-pairs.txt"))
    args = ap.parse_args()
    pairs, in_dictionary = {}, set()
    with tempfile.TemporaryDirectory() as tmp:
        sources = [(tessdata_bigrams(tmp), False), (dictionary_words(tmp), True)]
        for lists, curated in sources:
            for words in lists:
                words = [unicodedata.normalize("NFC", w.lower()) for w in words]
                for a, b in zip(words, words[1:]):
                    if SYLLABLE.match(a) and SYLLABLE.match(b):
                        pairs.setdefault(a, set()).add(b)
                        if curated:
                            in_dictionary.add((a, b))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# Vietnamese syllable pairs, made by scripts/make-pairs.py from the tessdata `vie`\n"
                "# bigram list (Apache-2.0) and the Viet74K list of @vntk/dictionary (MIT).\n")
        for a in sorted(pairs):
            f.write("%s\t%s\n" % (a, " ".join(("+" if (a, b) in in_dictionary else "") + b
                                                for b in sorted(pairs[a]))))
    print("%s: %d pairs of %d first syllables, %d in the dictionary"
          % (args.out, sum(map(len, pairs.values())), len(pairs), len(in_dictionary)), file=sys.stderr)


if __name__ == "__main__":
    main()
