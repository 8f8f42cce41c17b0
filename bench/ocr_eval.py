#!/usr/bin/env python3
"""bench/ocr_eval.py: CER of `sohoa ocr` per page against ground truth.

  bench/ocr_eval.py --sohoa build/cli/sohoa --samples samples      committed samples
  bench/ocr_eval.py --sohoa build/cli/sohoa --set /tmp/ocr-dev     a make-samples.py --set
  add --tesseract to also score the tesseract CLI (-l vie) on the same pages.

Prints one line per page (CER, faults) and the mean / worst. CER is the
Levenshtein distance after NFC and whitespace folding, over the truth length
(bench/cer_lib.h), computed here in Python with the same definition."""
import argparse, json, os, subprocess, sys, tempfile, unicodedata, xml.etree.ElementTree as ET


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s).split())


def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j - 1] + (ca != cb), prev[j] + 1, cur[j - 1] + 1))
        prev = cur
    return prev[-1]


def cer(truth, out):
    t, o = norm(truth), norm(out)
    return lev(t, o) / max(1, len(t))


def sample_pages(root):
    """(image, frame, truth, faults) for the committed samples, in page order."""
    pages = []
    ns = {"i": "urn:sohoa:intake:1"}
    inbox = os.path.join(root, "inbox")
    for code in sorted(os.listdir(inbox)):
        doc = ET.parse(os.path.join(inbox, code, "dossier.xml"))
        n = 0
        for page in doc.getroot().iterfind(".//i:page", ns):
            img = os.path.join(inbox, code, page.get("file"))
            frames = 1
            if img.endswith((".tif", ".tiff")):
                out = subprocess.run(["tiffinfo", img], capture_output=True, text=True).stdout
                frames = max(1, out.count("TIFF Directory"))
            for fr in range(frames):
                n += 1
                pages.append((img, fr, os.path.join(root, "truth", code, "%04d.txt" % n), code))
    return pages


def set_pages(root):
    pages = []
    with open(os.path.join(root, "set.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            img, frame, truth, _src, faults = line.rstrip("\n").split("\t")
            pages.append((os.path.join(root, img), int(frame) - 1, os.path.join(root, truth), faults))  # set.tsv counts frames from 1
    return pages


def run_sohoa(sohoa, images, jobs):
    out = tempfile.mkdtemp(prefix="ocr-eval-")
    subprocess.run([sohoa, "-q", "ocr", "--format", "json", "--jobs", str(jobs), "--out", out]
                   + images, check=False)
    texts = {}
    for name in os.listdir(out):
        d = json.load(open(os.path.join(out, name), encoding="utf-8"))
        for p in d["pages"]:
            texts[(d["source"], p["page"] - 1)] = p["text"]
    return texts


def run_tesseract(img, frame):
    src = img
    if frame or img.endswith((".tif", ".tiff")):
        tmp = tempfile.mktemp(suffix=".png")
        subprocess.run(["convert", "%s[%d]" % (img, frame), tmp], check=True)
        src = tmp
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    r = subprocess.run(["tesseract", src, "-", "-l", "vie"], capture_output=True, text=True, env=env)
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sohoa", default="build/cli/sohoa")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--samples")
    g.add_argument("--set")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--tesseract", action="store_true")
    a = ap.parse_args()
    pages = sample_pages(a.samples) if a.samples else set_pages(a.set)
    images = sorted({p[0] for p in pages})
    texts = run_sohoa(a.sohoa, images, a.jobs)
    rows = []
    for img, frame, truth, faults in pages:
        t = open(truth, encoding="utf-8").read()
        c = cer(t, texts.get((img, frame), ""))
        ct = cer(t, run_tesseract(img, frame)) if a.tesseract else None
        rows.append((c, ct))
        print("%-60s %d  sohoa %6.2f%%%s  %s" % (os.path.relpath(img), frame, 100 * c,
              "  tesseract %6.2f%%" % (100 * ct) if ct is not None else "", faults))
    cs = [r[0] for r in rows]
    print("pages %d  sohoa mean CER %.2f%%  worst %.2f%%" % (len(cs), 100 * sum(cs) / len(cs), 100 * max(cs)))
    if a.tesseract:
        ts = [r[1] for r in rows]
        print("         tesseract mean CER %.2f%%  worst %.2f%%" % (100 * sum(ts) / len(ts), 100 * max(ts)))


if __name__ == "__main__":
    main()
