#!/usr/bin/env python3
"""Render sohoa's sample dossiers (samples/inbox, samples/truth) from the texts in samples/src,
with the faults real office scanners make; also builds larger development OCR sets.

Run `python3 scripts/make-samples.py --help`.  Needs, through subprocess only: pango-view
(pango1.0-tools), ImageMagick 6 `convert`, fc-list (fontconfig), and the fonts
from fonts-liberation2 and fonts-dejavu-core (fonts-freefont-ttf optional, dev sets only).
Output is byte-identical from run to run on one machine (Debian 12): every random choice comes
from a seeded random.Random, ImageMagick noise gets -seed, metadata that varies is stripped.
"""

import argparse
import concurrent.futures
import hashlib
import json
import math
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import unicodedata
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
SRC = os.path.join(SAMPLES, "src")
GENERATED = ("inbox", "truth", "SHA256SUMS")

# Page geometry at 300 dpi: A4, margins of Decree 30/2020/NĐ-CP (left 30 mm, others 20 mm).
DPI = 300
PAGE_W, PAGE_H = 2480, 3508
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 354, 236, 236, 236
CONTENT_W = PAGE_W - MARGIN_L - MARGIN_R
PAD = 30  # pango-view margin (px) around every rendered unit, so no ink is clipped

FAMILIES = {"serif": "Liberation Serif", "sans": "Liberation Sans"}
DEV_FONTS = ["Liberation Serif", "Liberation Sans", "DejaVu Serif", "DejaVu Sans", "FreeSerif", "FreeSans"]
INK = {"red": "#c8102e", "blue": "#1f3f9f"}
SIGN_INK = "#1b2a6b"
FILL = {"white": "white", "grey": "gray(62%)", "black": "gray(12%)"}


class Overflow(Exception):
    """The page's content does not fit between the top and bottom margins."""


# ---------------------------------------------------------------------------------------------
# helpers

def seed_of(*parts):
    """A stable 32-bit seed from strings (never Python's randomised hash())."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big")


def run(cmd, cwd=None):
    res = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if res.returncode != 0:
        shown = " ".join(c if len(c) < 200 else c[:200] + "…" for c in cmd)
        raise RuntimeError("command failed (%d): %s\n%s" % (res.returncode, shown,
                                                            res.stderr.decode("utf-8", "replace")))
    return res.stdout


def nfc(s):
    return unicodedata.normalize("NFC", s)


def norm_line(s):
    return re.sub(r"\s+", " ", nfc(s)).strip()


def find_tool(name):
    path = shutil.which(name)
    if not path:
        print("make-samples: %s not found; install it (see docs/samples.md)" % name, file=sys.stderr)
        sys.exit(2)
    return path


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def fmt_num(x):
    return ("%.2f" % x).rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------------------------
# page sources

class Block:
    def __init__(self, kind, opts, lines):
        self.kind, self.opts, self.lines = kind, opts, lines

    def opt(self, name, default=None):
        for o in self.opts:
            if o == name:
                return True
            if o.startswith(name + "="):
                return o.split("=", 1)[1]
        return default


class Page:
    def __init__(self, name, blocks, style="serif", seal=None, sign=(), size=None):
        self.name, self.blocks, self.style, self.seal, self.sign = name, blocks, style, seal, sign
        self.size = size or (13 if style == "serif" else 12)  # body size in points


BLOCK_KINDS = {"header-left", "header-right", "header-center", "title", "body", "table", "footer-left",
               "footer-right", "space"}


def parse_page(path):
    """Parse one page source (format: docs/samples.md, 'Page sources')."""
    name = os.path.relpath(path, SRC)
    blocks, style, seal, sign, size = [], "serif", None, (), None
    cur = None
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    if raw != nfc(raw):
        raise ValueError("%s: text is not in Unicode NFC" % name)
    for lineno, line in enumerate(raw.split("\n"), 1):
        line = line.rstrip()
        if line.startswith("#"):
            continue
        if line.startswith("@"):
            word, _, rest = line[1:].partition(" ")
            rest = rest.strip()
            if word == "style":
                style, _, sz = rest.partition(" ")
                size = float(sz) if sz.strip() else None
                if style not in FAMILIES:
                    raise ValueError("%s:%d: unknown style %r" % (name, lineno, style))
                cur = None
            elif word == "seal":
                opts, text = [], rest
                while re.match(r"^[a-z]+=\S+\s", text):
                    o, _, text = text.partition(" ")
                    opts.append(o)
                seal = (opts, text.strip())
                cur = None
            elif word == "sign":
                sign = tuple(rest.split())
                cur = None
            elif word in BLOCK_KINDS:
                cur = Block(word, rest.split(), [])
                blocks.append(cur)
            else:
                raise ValueError("%s:%d: unknown directive @%s" % (name, lineno, word))
            continue
        if cur is None:
            if line.strip():
                raise ValueError("%s:%d: text outside a block" % (name, lineno))
            continue
        cur.lines.append(line)
    for b in blocks:  # trailing blank lines are layout noise in the source file
        while b.lines and not b.lines[-1].strip():
            b.lines.pop()
    return Page(name, blocks, style, seal, sign, size)


def parse_dossier(dirpath):
    """samples/src/<code>/dossier.txt: 'key: value' lines; 'document:' starts a document."""
    meta, docs = {}, []
    with open(os.path.join(dirpath, "dossier.txt"), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = nfc(line.rstrip("\n"))
            if not line.strip() or line.startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep:
                raise ValueError("%s/dossier.txt:%d: expected 'key: value'" % (dirpath, lineno))
            key, value = key.strip(), value.strip()
            if key == "document":
                docs.append({"kind": value, "pages": []})
            elif key == "page":
                fname, _, frames = value.partition("=")
                page = {"file": fname.strip(), "frames": []}
                for fr in frames.split(";"):
                    src, _, faults = fr.partition("|")
                    page["frames"].append((src.strip(), parse_faults(faults)))
                docs[-1]["pages"].append(page)
            elif docs:
                docs[-1][key] = value
            else:
                meta[key] = value
    meta["documents"] = docs
    return meta


def parse_faults(text):
    out = {}
    for tok in text.split():
        k, _, v = tok.partition("=")
        out[k] = v if v else "1"
    return out


def load_sources():
    dossiers = []
    for name in sorted(os.listdir(SRC)):
        d = os.path.join(SRC, name)
        if os.path.isfile(os.path.join(d, "dossier.txt")):
            meta = parse_dossier(d)
            if meta.get("code") != name:
                raise ValueError("%s: dossier code %r differs from folder" % (d, meta.get("code")))
            dossiers.append(meta)
    return dossiers


# ---------------------------------------------------------------------------------------------
# text rendering with pango-view

class Unit:
    """One pango-view rendering: a PNG (with PAD px margin) and the lines pango laid out."""

    def __init__(self, png, w, h, lines, widths):
        self.png, self.w, self.h, self.lines, self.widths = png, w, h, lines, widths


class Renderer:
    def __init__(self, work, family, size):
        self.work, self.family, self.size = work, family, size
        self._line_h = None

    def text(self, markup, width, align="left", justify=False, indent=0, size=None,
             family=None, color="#000000", wrap=True, extra=()):
        family = family or self.family
        size = size or self.size
        args = ["--font=%s %s" % (family, fmt_num(size)), "--dpi=%d" % DPI, "--margin=%d" % PAD,
                "--background=transparent", "--foreground=%s" % color, "--align=%s" % align,
                "--hinting=full", "--antialias=gray"] + list(extra)
        if width:
            args += ["--width=%d" % int(width * 72.0 / DPI)]  # pango-view takes whole points
            if wrap:
                args += ["--wrap=%s" % ("word-char" if wrap == "char" else "word")]
        if justify:
            args += ["--justify"]
        if indent:
            args += ["--indent=%d" % round(indent * 72.0 / DPI)]
        key = hashlib.sha256(("\x1f".join(args) + "\x1e" + markup).encode("utf-8")).hexdigest()[:24]
        base = os.path.join(self.work, "u-" + key)
        if not os.path.exists(base + ".json"):
            # threads may render the same unit at once: each writes its own
            # files and renames them into place (the results are identical)
            tmp = "%s.%d" % (base, threading.get_ident())
            with open(tmp + ".txt", "w", encoding="utf-8") as f:
                f.write(markup)
            run(["pango-view", "-q", "--markup"] + args +
                ["-o", tmp + ".png", "--serialize-to=" + tmp + ".json", tmp + ".txt"])
            os.replace(tmp + ".png", base + ".png")
            os.replace(tmp + ".json", base + ".json")
            os.remove(tmp + ".txt")
        with open(base + ".json", encoding="utf-8") as f:
            ser = json.load(f)
        out = ser["output"]
        if out.get("unknown-glyphs", 0):
            raise ValueError("font %s lacks glyphs for: %s" % (family, ser["text"][:80]))
        raw = ser["text"].encode("utf-8")
        lines, widths = [], []
        for ln in out["lines"]:
            s = ln["start-index"]
            lines.append(raw[s:s + ln["length"]].decode("utf-8"))
            widths.append(sum(g["width"] for r in ln.get("runs", []) for g in r["glyphs"]) / 1024.0)
        w, h = png_size(base + ".png")
        return Unit(base + ".png", w - 2 * PAD, h - 2 * PAD, lines, widths)

    def line_height(self):
        if self._line_h is None:
            self._line_h = self.text("Ag", 0).h
        return self._line_h


# ---------------------------------------------------------------------------------------------
# layout

class Layout:
    def __init__(self):
        self.images = []   # (png, x, y) of the unit's top-left text corner (PAD is subtracted later)
        self.rules = []    # (x1, y1, x2, y2, stroke width)
        self.truth = []    # logical reading order, one entry per rendered line
        self.gaps = {}     # 'left'/'right' -> (x0, y0, x1, y1): blank space left for a signature
        self.columns = {}  # 'left'/'right' -> (x0, x1) of the footer columns


def split_sub_blocks(lines):
    """Split a column block into ('text', [lines]), ('rule', factor) and ('blank', n) parts."""
    parts, cur = [], []
    for ln in lines + [None]:
        if ln is not None and ln.strip() and not ln.strip().startswith("---"):
            cur.append(ln)
            continue
        if cur:
            parts.append(("text", cur))
            cur = []
        if ln is None:
            break
        if ln.strip().startswith("---"):
            f = ln.strip()[3:].strip()
            parts.append(("rule", float(f) if f else 1.0))
        else:
            if parts and parts[-1][0] == "blank":
                parts[-1] = ("blank", parts[-1][1] + 1)
            else:
                parts.append(("blank", 1))
    return parts


def place_column(r, lay, lines, x0, width, y, align, side=None, size=None):
    """Lay out a header or footer column; return the y below it. side names the footer
    column whose blank lines are recorded as signature space."""
    last_w = 0
    for kind, val in split_sub_blocks(lines):
        if kind == "text":
            u = r.text("\n".join(val), width, align=align, size=size)
            lay.images.append((u.png, x0, y))
            lay.truth.extend(u.lines)
            last_w = u.widths[-1] if u.widths else 0
            y += u.h
        elif kind == "rule":
            rw = last_w * val
            cx = x0 + width / 2.0 if align == "center" else x0 + rw / 2.0
            lay.rules.append((cx - rw / 2.0, y + 16, cx + rw / 2.0, y + 16, 3))
            y += 28
        else:
            gh = val * r.line_height()
            if side:
                lay.gaps[side] = (x0, y, x0 + width, y + gh)
            y += gh
    return y


def header_size(r):
    """Decree 30 sets the national name at 12-13 pt whatever the body size."""
    return min(r.size, 13.0)


def layout_page(page, r, fit=True):
    lay = Layout()
    y = MARGIN_T
    blocks = page.blocks
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind in ("header-left", "footer-left"):
            is_header = b.kind == "header-left"
            right = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1].kind == (
                "header-right" if is_header else "footer-right") else None
            lw = float(b.opt("w", 42 if is_header else 46)) / 100.0 * CONTENT_W
            if not is_header:
                y += 30
            x_left, x_right = MARGIN_L, MARGIN_L + lw
            if is_header:
                x_left -= 60  # real headers sit a little left of the body's margin
                lw += 40
            yl = place_column(r, lay, b.lines, x_left, lw, y,
                              "center" if is_header else b.opt("align", "left"),
                              None if is_header else "left",
                              size=header_size(r) if is_header else r.size * float(b.opt("size", 100)) / 100)
            lay.columns["left"] = (x_left, x_left + lw)
            yr = y
            if right:
                rw = MARGIN_L + CONTENT_W - x_right + (30 if is_header else 0)
                yr = place_column(r, lay, right.lines, x_right, rw, y, "center",
                                  None if is_header else "right",
                                  size=header_size(r) if is_header else None)
                lay.columns["right"] = (x_right, x_right + rw)
                i += 1
            y = max(yl, yr) + (45 if is_header else 0)
        elif b.kind in ("header-right", "footer-right"):
            x_right = MARGIN_L + CONTENT_W * 0.46
            rw = MARGIN_L + CONTENT_W - x_right
            head = b.kind == "header-right"
            y = place_column(r, lay, b.lines, x_right, rw, y + (0 if head else 30), "center",
                             None if head else "right", size=header_size(r) if head else None)
            lay.columns["right"] = (x_right, x_right + rw)
        elif b.kind == "header-center":
            y = place_column(r, lay, b.lines, MARGIN_L, CONTENT_W, y, "center", size=header_size(r)) + 20
        elif b.kind == "title":
            y += 25
            last_w = 0
            for kind, val in split_sub_blocks(b.lines):
                if kind == "text":
                    mk = "\n".join("<b>%s</b>" % ln for ln in val)
                    u = r.text(mk, CONTENT_W, align="center", size=r.size * 1.08)
                    lay.images.append((u.png, MARGIN_L, y))
                    lay.truth.extend(u.lines)
                    y += u.h
                    last_w = u.widths[-1]
                elif kind == "rule":
                    rw = last_w * val
                    cx = MARGIN_L + CONTENT_W / 2.0
                    lay.rules.append((cx - rw / 2.0, y + 16, cx + rw / 2.0, y + 16, 3))
                    y += 28
                else:
                    y += val * r.line_height() * 0.5
            y += 35
        elif b.kind == "body":
            align = "left"
            for a in ("left", "center", "right"):
                if b.opt(a):
                    align = a
            form = b.opt("form")
            justify = not form and align == "left" and not b.opt("ragged")
            indent = int(b.opt("indent", 0 if form or align != "left" else 118))
            gap = int(b.opt("gap", 6 if form else 18))
            size = r.size * float(b.opt("size", 100)) / 100
            for ln in b.lines:
                if not ln.strip():
                    y += r.line_height() * 0.4
                    continue
                u = r.text(ln, CONTENT_W, align=align, justify=justify, indent=indent, size=size)
                lay.images.append((u.png, MARGIN_L, y))
                lay.truth.extend(u.lines)
                y += u.h + gap
        elif b.kind == "table":
            y = layout_table(b, r, lay, y + 12) + 20
        elif b.kind == "space":
            y += float(b.lines[0] if b.lines else (b.opts[0] if b.opts else 1)) * r.line_height()
        i += 1
    if y > PAGE_H - MARGIN_B + 20 and fit:
        raise Overflow("%s: content ends at y=%d, below the bottom margin (%d)"
                       % (page.name, y, PAGE_H - MARGIN_B))
    lay.truth = [t for t in (norm_line(x) for x in lay.truth) if t]
    lay.bottom = y
    return lay


def layout_table(b, r, lay, y):
    cols = []
    for spec in b.opts:
        m = re.match(r"^(\d+(?:\.\d+)?)([lcr]?)$", spec)
        if m:
            cols.append((float(m.group(1)), {"l": "left", "c": "center", "r": "right", "": "left"}[m.group(2)]))
    head = b.opt("head")
    total = sum(c[0] for c in cols)
    xs = [MARGIN_L]
    for w, _ in cols:
        xs.append(xs[-1] + w / total * CONTENT_W)
    size = r.size * float(b.opt("size", 92)) / 100
    padx, pady = 16, 12
    top = y
    row_ys = [y]
    for ri, row in enumerate(b.lines):
        cells = [c.strip() for c in row.split("|")]
        if len(cells) != len(cols):
            raise ValueError("table row has %d cells, expected %d: %s" % (len(cells), len(cols), row))
        units = []
        for ci, cell in enumerate(cells):
            if not cell:
                units.append(None)
                continue
            mk = "<b>%s</b>" % cell if head and ri == 0 else cell
            align = "center" if head and ri == 0 else cols[ci][1]
            width = xs[ci + 1] - xs[ci] - 2 * padx
            u = r.text(mk, width, align=align, size=size)
            if u.w > width:  # a word longer than the cell (a dossier code): broken, as Word would
                u = r.text(mk, width, align=align, size=size, wrap="char")
            units.append(u)
        row_h = max([u.h for u in units if u] + [r.line_height()]) + 2 * pady
        words = []
        for ci, u in enumerate(units):
            if u:
                lay.images.append((u.png, xs[ci] + padx, y + (row_h - u.h) / 2.0))
                words.extend(u.lines)
        lay.truth.append(" ".join(norm_line(w) for w in words))
        y += row_h
        row_ys.append(y)
    for yy in row_ys:
        lay.rules.append((xs[0], yy, xs[-1], yy, 3))
    for xx in xs:
        lay.rules.append((xx, top, xx, y, 3))
    return y


# ---------------------------------------------------------------------------------------------
# seal, signature, speckle

def make_seal(r, text, color, radius, seed, work):
    """A round seal as an RGBA PNG (ring, agency text around it, star in the middle)."""
    rng = random.Random(seed)
    ring_text = " %s " % text
    strip = r.text("<b>%s</b>" % ring_text, 0, family="Liberation Sans", size=10.5, color=color)
    band = 54
    r_out = radius - 27
    circ = int(2 * math.pi * (r_out - band / 2.0))
    size = 2 * radius + 24
    c = size / 2.0
    star = []
    for k in range(10):
        rad = 62 if k % 2 == 0 else 25
        a = -math.pi / 2 + k * math.pi / 5
        star.append("%.1f,%.1f" % (c + rad * math.cos(a), c + rad * math.sin(a)))
    out = os.path.join(work, "seal-%08x.png" % seed)
    rot = rng.uniform(-35, 35)
    opacity = rng.uniform(0.78, 0.9)
    run(["convert", strip.png, "-trim", "+repage", "-resize", "%dx%d!" % (circ, band),
         "-virtual-pixel", "transparent", "-background", "none",
         "-distort", "Arc", "360 0 %d %d" % (r_out, r_out - band), "+repage",
         "-gravity", "center", "-extent", "%dx%d" % (size, size),
         "-fill", "none", "-stroke", color,
         "-strokewidth", "9", "-draw", "circle %.1f,%.1f %.1f,%.1f" % (c, c, c, c - radius + 5),
         "-strokewidth", "4", "-draw", "circle %.1f,%.1f %.1f,%.1f" % (c, c, c, c - radius + 20),
         "-draw", "circle %.1f,%.1f %.1f,%.1f" % (c, c, c, c - r_out + band + 8),
         "-stroke", "none", "-fill", color, "-draw", "polygon " + " ".join(star),
         # uneven ink: multiply the opacity by a smooth random field
         "(", "-size", "%dx%d" % (size, size), "xc:gray50", "-seed", str(seed % 100000),
         "-attenuate", "2", "+noise", "Random", "-blur", "0x5", "-auto-level",
         "-level", "0%,60%", "-evaluate", "multiply", "%.3f" % opacity, ")",
         "-compose", "multiply", "-channel", "A", "-composite", "+channel", "-compose", "over",
         "-background", "none", "-rotate", "%.2f" % rot, "+repage", out])
    w, h = png_size(out)
    return out, w, h


def signature_draw(rng, box):
    """A handwritten-looking scribble inside box, as -draw primitives: a looping cursive stroke
    (a prolate trochoid with random loop sizes) and a flourish under it."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    width = min(w * 0.5, 420) * rng.uniform(0.75, 1.05)
    left = x0 + (w - width) * rng.uniform(0.35, 0.6)
    cy = y0 + h * rng.uniform(0.4, 0.55)
    loops = rng.randint(3, 6)
    amps = [rng.uniform(0.25, 0.5) * h for _ in range(loops + 1)]
    rads = [rng.uniform(10, 28) for _ in range(loops + 1)]
    slant = rng.uniform(0.1, 0.35)
    pts = []
    steps = loops * 24
    for k in range(steps + 1):
        t = k / float(steps)
        i = min(int(t * loops), loops)
        ph = 2 * math.pi * loops * t
        yy = -amps[i] * 0.5 * (1 - math.cos(ph)) + amps[i] * 0.15
        xx = left + t * width - rads[i] * math.sin(ph) - yy * slant
        pts.append("%.1f,%.1f" % (xx, cy + yy))
    fx = left + width * rng.uniform(0.6, 1.0)
    flourish = "M %.1f,%.1f Q %.1f,%.1f %.1f,%.1f" % (
        left - 30, cy + h * 0.3, left + width * 0.5, cy + h * rng.uniform(0.05, 0.25), fx + 60,
        cy + h * rng.uniform(0.1, 0.3))
    return ["-draw", "stroke-linejoin round stroke-linecap round polyline " + " ".join(pts), "-draw", "path '%s'" % flourish]


def speckle_draws(rng, w, h, level):
    """Salt-and-pepper dust: black specks, a few blobs, white drop-outs; -draw arguments."""
    n = int(level * 9000)
    black, white = [], []
    for _ in range(n):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        rad = rng.choice((0.8, 1.0, 1.3, 1.6, 2.0, 2.5, 3.2))
        (white if rng.random() < 0.3 else black).append("circle %.1f,%.1f %.1f,%.1f" % (x, y, x + rad, y))
    for _ in range(int(level * 25)):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        rad = rng.uniform(4, 9)
        black.append("ellipse %.1f,%.1f %.1f,%.1f 0,360" % (x, y, rad, rad * rng.uniform(0.4, 1.0)))
    args = []
    for colour, prims in (("black", black), ("white", white)):
        args += ["-stroke", "none", "-fill", colour]
        for k in range(0, len(prims), 1500):
            args += ["-draw", " ".join(prims[k:k + 1500])]
    return args


# ---------------------------------------------------------------------------------------------
# page → image

def render_frame(page, faults, seed, work, out_path, family=None, size=None):
    """Render one page source with the given faults to out_path (one image, one frame).

    Returns (truth lines, faults actually applied)."""
    rng = random.Random(seed)
    family = family or FAMILIES[page.style]
    size = float(size or faults.get("size") or page.size)
    shrink = faults.get("shrink") == "1"  # dev sets: a page that overflows is set smaller
    while True:
        r = Renderer(work, family, size)
        try:
            lay = layout_page(page, r)
            break
        except Overflow:
            if not shrink or size <= 9.5:
                raise
            size -= 0.5
    applied = dict(faults)
    applied.pop("shrink", None)
    if faults.get("font") or family != FAMILIES[page.style]:
        applied["font"] = family.replace(" ", "")
    if faults.get("size") or size != page.size:
        applied["size"] = fmt_num(size)

    colour = faults.get("mode", "gray") == "color"
    cmd = ["convert", "-size", "%dx%d" % (PAGE_W, PAGE_H), "xc:white"]
    for png, x, y in lay.images:
        cmd += [png, "-geometry", "+%d+%d" % (round(x) - PAD, round(y) - PAD), "-composite"]
    rules = " ".join("line %.1f,%.1f %.1f,%.1f" % (x1, y1, x2, y2) for x1, y1, x2, y2, _ in lay.rules)
    if rules:
        cmd += ["-stroke", "black", "-strokewidth", "3", "-fill", "none", "-draw", rules]
    for side in page.sign:
        if side not in lay.gaps:
            raise ValueError("%s: @sign %s but that footer column has no blank lines" % (page.name, side))
        cmd += ["-stroke", SIGN_INK if colour else "gray(15%)", "-strokewidth", "4",
                "-fill", "none"] + signature_draw(rng, lay.gaps[side])
    if "fade" in faults:
        cmd += ["-blur", "0x0.8", "-fill", "white", "-colorize", "%d%%" % round(float(faults["fade"]) * 100)]
    if page.seal and faults.get("seal", "red") != "none":
        opts, text = page.seal
        opts = dict(o.split("=", 1) for o in opts)
        ink = INK[faults.get("seal", "red")]
        if "seal" not in applied:
            applied["seal"] = faults.get("seal", "red")
        gap = lay.gaps.get("right")
        if not gap:
            raise ValueError("%s: @seal needs blank lines in the footer-right column" % page.name)
        col = lay.columns["right"]
        radius = int(opts.get("r", 205))
        seal_png, sw, sh = make_seal(r, text, ink, radius, seed_of(seed, "seal"), work)
        dx, dy = float(opts.get("dx", 0)), float(opts.get("dy", 0))
        cx = (col[0] + col[1]) / 2.0 - (col[1] - col[0]) * 0.2 + dx
        cy = (gap[1] + gap[3]) / 2.0 + dy
        cmd += [seal_png, "-geometry", "+%d+%d" % (round(cx - sw / 2.0), round(cy - sh / 2.0)),
                "-compose", "multiply", "-composite", "-compose", "over"]
    paper = faults.get("paper")
    if paper:
        cmd += paper_args(paper, rng)
    cmd += ["-alpha", "off"]
    # scanning
    skew = float(faults.get("skew", 0))
    if skew:
        cmd += ["-background", FILL[faults.get("fill", "white")], "-rotate", fmt_num(skew),
                "-gravity", "center", "-extent", "%dx%d" % (PAGE_W, PAGE_H), "+repage",
                "-gravity", "northwest"]
    rot = int(faults.get("rotate", 0))
    if rot:
        cmd += ["-rotate", str(rot), "+repage"]
    w, h = (PAGE_H, PAGE_W) if rot in (90, 270) else (PAGE_W, PAGE_H)
    if "speckle" in faults:
        cmd += speckle_draws(rng, w, h, float(faults["speckle"]))
    if "blur" in faults:
        cmd += ["-blur", "0x%s" % faults["blur"]]
    if "grain" in faults:
        cmd += ["-seed", str(seed_of(seed, "grain") % 100000), "-attenuate", faults["grain"],
                "+noise", "Gaussian"]
    dpi = int(faults.get("dpi", 300))
    if dpi != DPI:
        cmd += ["-resize", "%dx%d!" % (round(w * dpi / DPI), round(h * dpi / DPI))]
    cmd += output_args(faults, dpi, out_path)
    run(cmd)
    return lay.truth, applied


def paper_args(paper, rng):
    w, h = PAGE_W, PAGE_H
    g = lambda lo, hi: "gray(%.1f%%)" % rng.uniform(lo, hi)
    if paper == "yellow":
        field = ["xc:white", "-sparse-color", "Barycentric",
                 "0,0 #f7eed6 %d,0 #f3e5c4 0,%d #f9f1dc %d,%d #eedcb4" % (w, h, w, h)]
    elif paper == "dark":
        field = ["xc:white", "-sparse-color", "Barycentric",
                 "0,0 %s %d,0 %s 0,%d %s %d,%d %s" % (g(62, 70), w, g(70, 78), h, g(66, 74), w, h, g(52, 60))]
    elif paper == "uneven":
        field = ["xc:white", "-sparse-color", "Shepards",
                 "%d,%d %s %d,%d %s %d,%d %s %d,%d %s" % (
                     rng.uniform(0, w), rng.uniform(0, h / 3), g(92, 100),
                     rng.uniform(0, w), rng.uniform(h / 3, 2 * h / 3), g(70, 80),
                     rng.uniform(0, w), rng.uniform(2 * h / 3, h), g(84, 94),
                     rng.choice((0, w)), rng.uniform(0, h), g(60, 70))]
    elif paper == "grey":
        field = ["xc:%s" % g(80, 88)]
    else:
        raise ValueError("unknown paper %r" % paper)
    return ["(", "-size", "%dx%d" % (w, h)] + field + [")", "-compose", "multiply", "-composite",
                                                       "-compose", "over"]


def output_args(faults, dpi, out_path):
    ext = os.path.splitext(out_path)[1].lower()
    mode = faults.get("mode", "gray")
    meta = faults.get("meta-dpi", str(dpi))
    args = []
    if mode == "gray" or mode == "bilevel":
        args += ["-colorspace", "Gray"]
    if mode == "bilevel":
        args += ["-threshold", "%s%%" % faults.get("thr", "55"), "-type", "bilevel"]
    elif mode == "gray":
        args += ["-type", "Grayscale"]
    else:
        args += ["-type", "TrueColor"]
    args += ["-strip"]
    if meta == "none":
        args += ["-units", "Undefined", "-density", "1"] if ext == ".jpg" else ["-units", "Undefined"]
    else:
        args += ["-units", "PixelsPerInch", "-density", meta]
    if ext == ".jpg":
        args += ["-quality", faults.get("q", "75"), "-sampling-factor", "2x2,1x1,1x1",
                 "-interlace", "none"]
    elif ext == ".png":
        if "colors" in faults:  # a palette image, as some scanner software saves
            args += ["+dither", "-colors", faults["colors"]]
        args += ["-define", "png:exclude-chunks=date,time,tIME,tEXt,zTXt,iTXt" +
                 (",pHYs" if meta == "none" else ""),
                 "-define", "png:compression-level=9", "-depth", "8" if mode != "bilevel" else "1"]
    elif ext == ".tif":
        comp = faults.get("tiff", "g4" if mode == "bilevel" else "lzw")
        args += ["-compress", {"g4": "Group4", "lzw": "LZW", "zip": "Zip", "jpeg": "JPEG"}[comp]]
        if comp == "jpeg":
            args += ["-quality", faults.get("q", "75")]
    else:
        raise ValueError("unknown output type %s" % out_path)
    return args + [out_path]


# ---------------------------------------------------------------------------------------------
# committed samples

def build_samples(out_root, jobs):
    """Write inbox/, truth/ and SHA256SUMS under out_root."""
    dossiers = load_sources()
    work = tempfile.mkdtemp(prefix="sohoa-samples-")
    try:
        tasks = []
        for d in dossiers:
            inbox = os.path.join(out_root, "inbox", d["code"])
            truth = os.path.join(out_root, "truth", d["code"])
            os.makedirs(inbox, exist_ok=True)
            os.makedirs(truth, exist_ok=True)
            with open(os.path.join(inbox, "dossier.xml"), "w", encoding="utf-8", newline="\n") as f:
                f.write(dossier_xml(d))
            for doc in d["documents"]:
                for pg in doc["pages"]:
                    tasks.append((d, pg))
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
            results = list(ex.map(lambda t: render_page_file(t[0], t[1], out_root, work), tasks))
        # truth files numbered in dossier page order (a multi-frame TIFF gives one per frame)
        counters = {}
        for (d, pg), truths in zip(tasks, results):
            for lines in truths:
                n = counters[d["code"]] = counters.get(d["code"], 0) + 1
                path = os.path.join(out_root, "truth", d["code"], "%04d.txt" % n)
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write("\n".join(lines) + "\n")
        write_sums(out_root)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render_page_file(d, pg, out_root, work):
    out = os.path.join(out_root, "inbox", d["code"], pg["file"])
    frames = pg["frames"]
    truths = []
    if len(frames) == 1:
        src, faults = frames[0]
        page = parse_page(os.path.join(SRC, d["code"], src))
        t, _ = render_frame(page, faults, seed_of(d["code"], pg["file"], 0), work, out)
        return [t]
    if not out.endswith(".tif"):
        raise ValueError("%s: several frames need a .tif file" % pg["file"])
    parts = []
    for k, (src, faults) in enumerate(frames):
        page = parse_page(os.path.join(SRC, d["code"], src))
        part = os.path.join(work, "frame-%s-%s-%d.tif" % (d["code"], pg["file"], k))
        t, _ = render_frame(page, faults, seed_of(d["code"], pg["file"], k), work, part)
        truths.append(t)
        parts.append(part)
    join_frames(parts, frames[0][1], out)
    return truths


def join_frames(parts, faults, out):
    """One multi-page TIFF from single-frame TIFFs (ImageMagick numbers the pages k of n;
    tiffcp would leave the page count at 0)."""
    comp = faults.get("tiff", "g4" if faults.get("mode") == "bilevel" else "lzw")
    run(["convert"] + parts + ["-strip", "-compress",
                               {"g4": "Group4", "lzw": "LZW", "zip": "Zip", "jpeg": "JPEG"}[comp], out])


def dossier_xml(d):
    q = quoteattr
    x = ['<?xml version="1.0" encoding="UTF-8"?>',
         '<dossier xmlns="urn:sohoa:intake:1" code=%s>' % q(d["code"])]
    attrs = " code=%s" % q(d["procedure"])
    if d.get("approval"):
        attrs += " approval=%s" % q(d["approval"])
    x.append("  <procedure%s>%s</procedure>" % (attrs, xml_escape(d["procedure-name"])))
    x.append("  <received>%s</received>" % xml_escape(d["received"]))
    x.append("  <agency code=%s>%s</agency>" % (q(d["agency"]), xml_escape(d["agency-name"])))
    x.append("  <applicant id=%s>" % q(d["applicant-id"]))
    x.append("    <name>%s</name>" % xml_escape(d["applicant-name"]))
    x.append("  </applicant>")
    for doc in d["documents"]:
        attrs = " kind=%s type=%s" % (q(doc["kind"]), q(doc["type"]))
        for k in ("number", "issued"):
            if doc.get(k):
                attrs += " %s=%s" % (k, q(doc[k]))
        x.append("  <document%s>" % attrs)
        x.append("    <title>%s</title>" % xml_escape(doc["title"]))
        if doc.get("issuer"):
            x.append("    <issuer>%s</issuer>" % xml_escape(doc["issuer"]))
        for pg in doc["pages"]:
            x.append("    <page file=%s/>" % q(pg["file"]))
        x.append("  </document>")
    x.append("</dossier>")
    return "\n".join(x) + "\n"


def generated_files(root):
    out = []
    for top in ("inbox", "truth"):
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for fn in sorted(filenames):
                out.append(os.path.relpath(os.path.join(dirpath, fn), root).replace(os.sep, "/"))
    return sorted(out)


def write_sums(root):
    with open(os.path.join(root, "SHA256SUMS"), "w", encoding="utf-8", newline="\n") as f:
        for rel in generated_files(root):
            f.write("%s  %s\n" % (sha256_file(os.path.join(root, rel)), rel))


def check(jobs):
    tmp = tempfile.mkdtemp(prefix="sohoa-samples-check-")
    try:
        build_samples(tmp, jobs)
        want = set(generated_files(tmp)) | {"SHA256SUMS"}
        have = set(generated_files(SAMPLES)) | ({"SHA256SUMS"} if os.path.exists(
            os.path.join(SAMPLES, "SHA256SUMS")) else set())
        bad = []
        for rel in sorted(want | have):
            a, b = os.path.join(tmp, rel), os.path.join(SAMPLES, rel)
            if rel not in have:
                bad.append("missing in samples/: " + rel)
            elif rel not in want:
                bad.append("not produced by the sources: " + rel)
            elif sha256_file(a) != sha256_file(b):
                bad.append("differs: " + rel)
        if bad:
            print("make-samples --check: samples/ does not match its sources:", file=sys.stderr)
            for b in bad:
                print("  " + b, file=sys.stderr)
            return 1
        print("make-samples --check: %d files identical" % len(want))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def describe():
    """Markdown table of the committed pages and their faults (used for docs/samples.md)."""
    print("| dossier | file | frame | source | faults |")
    print("| --- | --- | --- | --- | --- |")
    for d in load_sources():
        for doc in d["documents"]:
            for pg in doc["pages"]:
                for k, (src, faults) in enumerate(pg["frames"], 1):
                    f = " ".join("%s=%s" % kv for kv in faults.items())
                    if parse_page(os.path.join(SRC, d["code"], src)).seal:
                        f += " seal=" + faults.get("seal", "red")
                    print("| %s | %s | %d | %s | %s |" % (d["code"], pg["file"], k, src, f))


# ---------------------------------------------------------------------------------------------
# development sets

def installed_fonts():
    out = run(["fc-list", ":", "family"]).decode("utf-8", "replace")
    fams = set()
    for line in out.splitlines():
        for f in line.split(","):
            fams.add(f.strip())
    return [f for f in DEV_FONTS if f in fams]


def all_pages():
    """Every committed page source, then the extra pages (samples/src/extra) only dev sets use."""
    pages = []
    for d in load_sources():
        for doc in d["documents"]:
            for pg in doc["pages"]:
                for src, _ in pg["frames"]:
                    pages.append(parse_page(os.path.join(SRC, d["code"], src)))
    extra = os.path.join(SRC, "extra")
    if os.path.isdir(extra):
        for fn in sorted(os.listdir(extra)):
            if fn.endswith(".txt"):
                pages.append(parse_page(os.path.join(extra, fn)))
    return pages


def mixed_page(rng, pages, base):
    """A new page: base's header, title and footer around body paragraphs drawn from all pages."""
    pool = [ln for p in pages for b in p.blocks if b.kind == "body" and not b.opt("form")
            and not b.opt("center") for ln in b.lines if len(ln) > 60]
    forms = [ln for p in pages for b in p.blocks if b.kind == "body" and b.opt("form")
             for ln in b.lines if ln.strip()]
    tables = [b for p in pages for b in p.blocks if b.kind == "table"]
    blocks = []
    body_done = False
    for b in base.blocks:
        if b.kind in ("body", "table"):
            if body_done:
                continue
            body_done = True
            for _ in range(rng.randint(2, 4)):
                if rng.random() < 0.3:
                    blocks.append(Block("body", ["form"], rng.sample(forms, min(len(forms), rng.randint(3, 8)))))
                else:
                    blocks.append(Block("body", [], rng.sample(pool, min(len(pool), rng.randint(1, 4)))))
                if tables and rng.random() < 0.25:
                    blocks.append(rng.choice(tables))
        else:
            blocks.append(b)
    return Page(base.name + "+mix", blocks, base.style, base.seal, base.sign, base.size)


def keep_faded_ink(f):
    """A scanner thresholding faded ink keeps it (dark enough to read, if
    broken): the threshold sits above the faded ink's grey level. Without this
    a faded bilevel page came out blank, which no clerk would file."""
    if f.get("mode") == "bilevel" and "fade" in f:
        f["thr"] = str(max(int(f["thr"]), round(float(f["fade"]) * 100) + 15))


def random_faults(rng, page, fonts):
    f = {}
    f["font"] = rng.choice(fonts)
    f["size"] = fmt_num(rng.choice([11, 11.5, 12, 12.5, 13, 13.5, 14]))
    f["shrink"] = "1"
    kind = rng.random()
    if kind < 0.3:
        f["skew"] = fmt_num(rng.uniform(-10, 10))
    elif kind < 0.75:
        f["skew"] = fmt_num(rng.uniform(-4, 4))
    if "skew" in f:
        f["fill"] = rng.choice(["white", "white", "grey", "black"])
    f["rotate"] = rng.choice(["0", "0", "0", "0", "90", "180", "270"])
    f["dpi"] = str(rng.choice([150, 150, 200, 200, 240, 300, 300]))
    has_seal = page.seal is not None and rng.random() < 0.85
    fmt = rng.choice(["jpg", "jpg", "jpg", "tif-g4", "tif-g4", "png", "tif"])
    if has_seal and fmt == "tif-g4" and rng.random() < 0.7:
        fmt = "jpg"  # red seals mostly come in colour; a few are thresholded to black blobs
    if fmt == "tif-g4":
        f["mode"] = "bilevel"
        f["dpi"] = str(rng.choice([200, 300, 300]))
        f["thr"] = str(rng.choice([45, 50, 55, 60]))
    else:
        f["mode"] = "color" if (has_seal and rng.random() < 0.8) or rng.random() < 0.15 else "gray"
    if fmt == "tif":  # colour TIFFs as scanners write them (JPEG inside), grey ones LZW
        f["tiff"] = "jpeg" if f["mode"] == "color" else "lzw"
    if fmt == "jpg" or f.get("tiff") == "jpeg":
        f["q"] = str(rng.randint(50, 90))
    if fmt == "png" and f["mode"] == "color" and rng.random() < 0.5:
        f["colors"] = str(rng.choice([16, 32, 64]))
    if has_seal:
        f["seal"] = rng.choice(["red", "red", "blue"])
    elif page.seal is not None:
        f["seal"] = "none"
    if rng.random() < 0.35:
        f["speckle"] = fmt_num(rng.uniform(0.05, 0.6))
    if rng.random() < 0.2:
        f["fade"] = fmt_num(rng.uniform(0.3, 0.6))
        if f["mode"] == "bilevel":
            keep_faded_ink(f)
    if f["mode"] != "bilevel" and rng.random() < 0.35:
        f["paper"] = rng.choice(["yellow", "dark", "uneven", "grey"])
    if rng.random() < 0.3:
        f["blur"] = fmt_num(rng.uniform(0.5, 1.5))
    if fmt == "jpg" and rng.random() < 0.25:  # sensor noise (kept off lossless files: size)
        f["grain"] = fmt_num(rng.uniform(0.2, 0.8))
    m = rng.random()
    if m < 0.12:
        f["meta-dpi"] = "none"
    elif m < 0.22:
        f["meta-dpi"] = rng.choice(["72", "96", "300" if f["dpi"] != "300" else "150"])
    ext = {"jpg": ".jpg", "png": ".png", "tif-g4": ".tif", "tif": ".tif"}[fmt]
    if f["rotate"] == "0":
        del f["rotate"]
    return f, ext


def clean_faults(rng, page, fonts):
    """A perfect scan: font and size vary, nothing else (grey PNG at 300 dpi,
    a page's seal left off). What sohoa loses on these, its cleaning loses."""
    f = {"font": rng.choice(fonts), "size": fmt_num(rng.choice([11, 11.5, 12, 12.5, 13, 13.5, 14])),
         "shrink": "1", "dpi": "300", "mode": "gray"}
    if page.seal is not None:
        f["seal"] = "none"
    return f, ".png"


def build_dev_set(out_dir, seed, count, jobs, clean=False):
    fonts = installed_fonts()
    pages = all_pages()
    os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "truth"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="sohoa-devset-")
    plans = []
    rng = random.Random(seed)
    for n in range(1, count + 1):
        base = rng.choice(pages)
        page = mixed_page(rng, pages, base) if rng.random() < 0.5 else base
        faults, ext = (clean_faults if clean else random_faults)(rng, page, fonts)
        frames = [(page, faults)]
        if ext == ".tif" and rng.random() < 0.3:  # multi-page TIFF: same scan settings
            for _ in range(rng.randint(1, 2)):
                p2 = rng.choice(pages)
                f2, _ = random_faults(rng, p2, fonts)
                for k in ("mode", "dpi", "thr", "tiff", "q", "meta-dpi"):
                    f2.pop(k, None)
                    if k in faults:
                        f2[k] = faults[k]
                if faults["mode"] == "bilevel":
                    f2.pop("paper", None)
                keep_faded_ink(f2)
                f2.pop("grain", None)
                frames.append((p2, f2))
        plans.append((n, ext, frames, seed_of(seed, n), base))

    def one(plan):
        n, ext, frames, s, base = plan
        name = "%05d%s" % (n, ext)
        out = os.path.join(out_dir, "images", name)
        rows, parts = [], []
        for k, (page, faults) in enumerate(frames):
            fam = faults.pop("font")
            target = out if len(frames) == 1 else os.path.join(work, "%05d-%d%s" % (n, k, ext))
            try:
                truth, applied = render_frame(page, dict(faults), seed_of(s, k), work, target, family=fam)
            except Overflow:  # a mixed page too long even in small type: use its base page
                page = base if k == 0 else page
                truth, applied = render_frame(page, dict(faults), seed_of(s, k), work, target, family=fam)
            applied["font"] = fam.replace(" ", "")
            tname = "%05d.txt" % n if len(frames) == 1 else "%05d-%d.txt" % (n, k + 1)
            with open(os.path.join(out_dir, "truth", tname), "w", encoding="utf-8", newline="\n") as f:
                f.write("\n".join(truth) + "\n")
            desc = " ".join("%s=%s" % (k2, applied[k2]) for k2 in sorted(applied))
            rows.append("images/%s\t%d\ttruth/%s\t%s\t%s" % (name, k + 1, tname, page.name, desc))
            parts.append(target)
        if len(frames) > 1:
            join_frames(parts, frames[0][1], out)
        return rows

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
            results = list(ex.map(one, plans))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(out_dir, "set.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("image\tframe\ttruth\tsource\tfaults\n")
        for rows in results:
            for row in rows:
                f.write(row + "\n")
    print("make-samples: wrote %d images to %s (list: set.tsv)" % (count, out_dir))


# ---------------------------------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(
        prog="make-samples.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Render sohoa's sample dossiers from samples/src into samples/inbox,\n"
                    "samples/truth and samples/SHA256SUMS (default), check that the committed\n"
                    "files match their sources (--check), or build a development OCR set (--set).",
        epilog="examples:\n"
               "  python3 scripts/make-samples.py             regenerate samples/ in place\n"
               "  python3 scripts/make-samples.py --check     exit 0 if samples/ is byte-identical\n"
               "                                             to a fresh rendering, 1 (listing the\n"
               "                                             differing files) if not\n"
               "  python3 scripts/make-samples.py --set /tmp/ocr-dev --seed 7 --count 200\n"
               "                                             a development set: images/, truth/\n"
               "                                             and set.tsv (image, frame, truth,\n"
               "                                             source, faults)\n"
               "See docs/samples.md for the source format, the truth rules and the fault list.")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="regenerate into a temporary directory "
                      "and compare with the committed files byte for byte")
    mode.add_argument("--set", metavar="DIR", help="write a development OCR set (not committed) to DIR")
    mode.add_argument("--describe", action="store_true", help="print the committed pages and "
                      "their faults as a Markdown table")
    ap.add_argument("--seed", type=int, default=1, help="seed of the development set (default 1)")
    ap.add_argument("--count", type=int, default=100, help="images in the development set (default 100)")
    ap.add_argument("--clean", action="store_true",
                    help="with --set: pages without faults (font and size vary, grey PNG at 300 dpi)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="pages rendered in parallel (default: number of CPUs)")
    args = ap.parse_args(argv)

    if args.describe:
        describe()
        return 0
    for tool in ("pango-view", "convert", "fc-list"):
        find_tool(tool)
    if args.check:
        return check(args.jobs)
    if args.set:
        build_dev_set(args.set, args.seed, args.count, args.jobs, args.clean)
        return 0
    for top in GENERATED:
        p = os.path.join(SAMPLES, top)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    build_samples(SAMPLES, args.jobs)
    print("make-samples: wrote %d files under samples/" % (len(generated_files(SAMPLES)) + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
