#!/usr/bin/python3
"""bench/ocr_compare.py: compare `sohoa ocr` builds or settings page by page.

  bench/ocr_compare.py run TAG SET...        read SETs with $SOHOA (default
                                             build-bench/cli/sohoa), keep each
                                             page's text and CER in /tmp/TAG-SET.json
  bench/ocr_compare.py pages A B SET...      pages whose CER differs between runs A and B
  bench/ocr_compare.py words A B SET...      each word-level change from A to B,
                                             judged against the truth: + better,
                                             - worse, = neither
  bench/ocr_compare.py truth TAG SET PAGE    a page's differences from its truth

A SET is a directory made by `scripts/make-samples.py --set` (a bare name is
looked for in /tmp), or `samples` for the committed samples/. CER as in
bench/ocr_eval.py. Needs Debian's python3-levenshtein (scripts/deps.sh
--bench), hence Debian's python3. The environment passes through, so two
settings of one build compare too: `X=1 ocr_compare.py run b SET`."""
import difflib, json, os, subprocess, sys, tempfile, unicodedata

import Levenshtein

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ocr_eval  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s).split())


def cer(t, o):
    t, o = norm(t), norm(o)
    return Levenshtein.distance(t, o) / max(1, len(t))


def set_dir(name):
    if name == "samples":
        return os.path.join(ROOT, "samples")
    return name if os.path.isdir(name) and "/" in name else os.path.join("/tmp", name)


def label(name):
    return os.path.basename(name.rstrip("/"))


def load(tag, name):
    with open("/tmp/%s-%s.json" % (tag, label(name)), encoding="utf-8") as f:
        return json.load(f)


def run(tag, sets):
    sohoa = os.environ.get("SOHOA", os.path.join(ROOT, "build-bench/cli/sohoa"))
    for name in sets:
        d = set_dir(name)
        pages = ocr_eval.sample_pages(d) if name == "samples" else ocr_eval.set_pages(d)
        images = sorted({p[0] for p in pages})
        out = tempfile.mkdtemp(prefix="ocr-compare-")
        subprocess.run([sohoa, "-q", "ocr", "--format", "json", "--jobs", os.environ.get("JOBS", "2"),
                        "--out", out] + images, check=False)
        texts = {}
        for f in os.listdir(out):
            with open(os.path.join(out, f), encoding="utf-8") as fh:
                j = json.load(fh)
            for p in j["pages"]:
                texts[(j["source"], p["page"] - 1)] = (p["text"], p.get("needs_review"))
            os.unlink(os.path.join(out, f))
        os.rmdir(out)
        res = {}
        for img, frame, truth, faults in pages:
            with open(truth, encoding="utf-8") as fh:
                t = fh.read()
            o, review = texts.get((img, frame), ("", None))
            res["%s:%d" % (os.path.relpath(img, d), frame)] = {
                "cer": cer(t, o), "out": o, "truth": t, "faults": faults, "needs_review": review}
        with open("/tmp/%s-%s.json" % (tag, label(name)), "w", encoding="utf-8") as fh:
            json.dump(res, fh, ensure_ascii=False)
        cs = [v["cer"] for v in res.values()]
        print("%-8s %-10s mean %.3f%%  worst %.2f%%  over 3%% %d  pages %d" % (
            tag, label(name), 100 * sum(cs) / len(cs), 100 * max(cs), sum(c > 0.03 for c in cs), len(cs)))


def pages(a, b, sets):
    for name in sets:
        A, B = load(a, name), load(b, name)
        for k in A:
            d = B[k]["cer"] - A[k]["cer"]
            if abs(d) > 1e-9:
                print("%-10s %-24s %6.2f%% -> %6.2f%% (%+.2f)  %s" % (
                    label(name), k, 100 * A[k]["cer"], 100 * B[k]["cer"], 100 * d, A[k]["faults"]))


def words(a, b, sets):
    better = worse = 0
    for name in sets:
        A, B = load(a, name), load(b, name)
        for k in A:
            wa, wb = norm(A[k]["out"]).split(), norm(B[k]["out"]).split()
            if wa == wb:
                continue
            t = norm(A[k]["truth"])
            ops = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
            for op, i1, i2, j1, j2 in ops:
                if op == "equal":
                    continue
                da = Levenshtein.distance(t, " ".join(wa))
                db = Levenshtein.distance(t, " ".join(wa[:i1] + wb[j1:j2] + wa[i2:]))
                mark = "+" if db < da else "-" if db > da else "="
                better += max(0, da - db)
                worse += max(0, db - da)
                print("%s %-10s %-24s %r -> %r" % (mark, label(name), k, " ".join(wa[i1:i2]),
                                                   " ".join(wb[j1:j2])))
    print("letters of error: %d fewer, %d more" % (better, worse))


def truth(tag, name, page):
    p = load(tag, name)[page]
    tw, ow = norm(p["truth"]).split(), norm(p["out"]).split()
    print("CER %.2f%%  %s" % (100 * p["cer"], p["faults"]))
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, tw, ow, autojunk=False).get_opcodes():
        if op != "equal":
            print("%-8s %r -> %r" % (op, " ".join(tw[i1:i2]), " ".join(ow[j1:j2])))


def main():
    a = sys.argv[1:]
    if len(a) >= 2 and a[0] == "run":
        run(a[1], a[2:])
    elif len(a) >= 4 and a[0] in ("pages", "words"):
        (pages if a[0] == "pages" else words)(a[1], a[2], a[3:])
    elif len(a) == 4 and a[0] == "truth":
        truth(a[1], a[2], a[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
