#!/usr/bin/env python3
"""Real OCR material for issue 9: the stored witnesses printed as page images and read by tesseract.

    python3 benchmarks/ocr/make_ocr.py [--only NAME ...] [--images DIR] [--list]

Each *page* is one witness (``witnesses/<siglum>.txt``) drawn with Pillow in
one font and size, then worn, then read by Debian's ``tesseract`` 5.3
(``tesseract page.png out txt hocr alto``, English model, default page
segmentation).  What is kept in ``benchmarks/ocr/pages/<name>/``:

``ocr.txt``
    tesseract's plain text, byte for byte.
``ocr.hocr`` / ``ocr.alto.xml``
    the same reading with word boxes, gzip-compressed (``.gz``), for anyone who
    wants positions.
``page.json``
    how the page was made: witness, font file, size, wear and seed, the page's
    line breaks (``lines``: the witness text as drawn, one item per printed
    line, with a line-end hyphen where a word was broken), and the
    tesseract version.

The images themselves are not kept (``--images DIR`` writes them there); they
are made again from ``page.json`` by this script.  Everything is deterministic:
the wear draws from ``random.Random(seed)`` and tesseract runs single-threaded
(``OMP_THREAD_LIMIT=1``).

The layout is a typescript-like page: 1,700 px wide (A4 at 200 dpi), margins of
110 px, paragraphs separated by a blank line, words wrapped at the margin.
With ``hyphenate`` a long word that does not fit is broken at the margin with
a hyphen, as a typist would, so the OCR text holds line-end hyphenation that
the reference (one line per paragraph) does not.

Wear, from none to heavy (all seeded):

- ``blur``: Gaussian blur of that radius;
- ``speckle``: that many specks of toner, 1-3 px, scattered over the page;
- ``rotate``: the page turned by that many degrees;
- ``bleed``: ink spread by a min filter of that size (thicker, touching strokes);
- ``ink``: the grey of the ink (0 black, 255 white): a faded ribbon is lighter;
- ``scale``: the page shrunk to this fraction and enlarged back (a low-resolution
  scan).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent.parent
PAGES = Path(__file__).resolve().parent / "pages"

FONTS = {
    "dejavu-sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "dejavu-serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "dejavu-mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "liberation-serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "liberation-sans": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "liberation-mono": "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
}

WIDTH = 1700
MARGIN = 110


@dataclass(frozen=True)
class Wear:
    blur: float = 0.0
    speckle: int = 0
    rotate: float = 0.0
    bleed: int = 0
    ink: int = 20
    scale: float = 1.0


WEARS = {
    "light": Wear(blur=0.6, speckle=300, rotate=0.3),
    "worn": Wear(blur=0.9, speckle=800, rotate=-0.5, scale=0.7),
    "heavy": Wear(blur=1.0, speckle=1500, rotate=0.7, bleed=3, scale=0.6),
    "faded": Wear(blur=0.8, speckle=600, rotate=-0.6, ink=140, scale=0.7),
}


@dataclass(frozen=True)
class Page:
    name: str
    witness: str
    font: str
    size: int
    wear: str
    seed: int
    hyphenate: bool = False
    lines: list[str] = field(default_factory=list)


def configurations() -> list[Page]:
    """The pages, named ``<witness>-<font>-<size>-<wear>``.  Each witness is
    printed in every font; sizes and wears are cycled so that every witness
    meets every wear and both sizes, and half the pages hyphenate."""
    pages = []
    wears = ["light", "worn", "heavy", "faded", "worn", "heavy"]
    sizes = [26, 20, 22, 26, 20, 22]
    for w, witness in enumerate(("web", "frus", "corr1957")):
        for f, font in enumerate(FONTS):
            k = (f + 2 * w) % len(wears)
            size, wear = sizes[k], wears[k]
            name = f"{witness}-{font}-{size}-{wear}"
            seed = 1000 * (w + 1) + 10 * f
            pages.append(Page(name, witness, font, size, wear, seed, hyphenate=(f + w) % 2 == 0))
    return pages


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, hyphenate: bool) -> list[str]:
    """The printed lines: words wrapped at ``width`` px, a blank line between
    paragraphs; with ``hyphenate``, a word of 7 letters or more that does not
    fit is broken with a hyphen, leaving at least 3 letters on each line."""
    lines: list[str] = []
    for p, para in enumerate(text.split("\n\n")):
        if p:
            lines.append("")
        line = ""
        for word in para.split():
            trial = f"{line} {word}" if line else word
            if font.getlength(trial) <= width:
                line = trial
                continue
            if hyphenate and re.fullmatch(r"[A-Za-z]{7,}[.,]?", word) and line:
                head = ""
                for cut in range(len(word.rstrip(".,")) - 3, 2, -1):
                    if font.getlength(f"{line} {word[:cut]}-") <= width:
                        head = word[:cut]
                        break
                if head:
                    lines.append(f"{line} {head}-")
                    line = word[len(head):]
                    continue
            lines.append(line)
            line = word
        lines.append(line)
    return lines


def draw(page: Page, lines: list[str]) -> Image.Image:
    font = ImageFont.truetype(FONTS[page.font], page.size)
    step = round(page.size * 1.5)
    height = 2 * MARGIN + step * len(lines)
    img = Image.new("L", (WIDTH, max(height, 2339)), 255)
    pen = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        pen.text((MARGIN, MARGIN + i * step), line, font=font, fill=WEARS[page.wear].ink)
    return wear(img, WEARS[page.wear], random.Random(page.seed))


def wear(img: Image.Image, w: Wear, rng: random.Random) -> Image.Image:
    if w.bleed:
        img = img.filter(ImageFilter.MinFilter(w.bleed))
    if w.speckle:
        pen = ImageDraw.Draw(img)
        for _ in range(w.speckle):
            x, y, r = rng.randrange(img.width), rng.randrange(img.height), rng.choice((1, 1, 2, 3))
            pen.ellipse((x, y, x + r, y + r), fill=rng.randrange(0, 120))
    if w.blur:
        img = img.filter(ImageFilter.GaussianBlur(w.blur))
    if w.scale != 1.0:
        small = img.resize((round(img.width * w.scale), round(img.height * w.scale)), Image.Resampling.BILINEAR)
        img = small.resize(img.size, Image.Resampling.BILINEAR)
    if w.rotate:
        img = img.rotate(w.rotate, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return img


def tesseract_version() -> str:
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=True)
    return (out.stdout or out.stderr).splitlines()[0]


def make(page: Page, images: Path | None) -> dict[str, object]:
    text = (ROOT / "witnesses" / f"{page.witness}.txt").read_text(encoding="utf-8")
    font = ImageFont.truetype(FONTS[page.font], page.size)
    lines = wrap(text, font, WIDTH - 2 * MARGIN, page.hyphenate)
    img = draw(page, lines)
    out_dir = PAGES / page.name
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(images or tmp) / f"{page.name}.png"
        png.parent.mkdir(parents=True, exist_ok=True)
        img.save(png)
        base = Path(tmp) / "ocr"
        subprocess.run(["tesseract", str(png), str(base), "txt", "hocr", "alto"], env=env, check=True,
                       capture_output=True)
        (out_dir / "ocr.txt").write_bytes(base.with_suffix(".txt").read_bytes())
        for suffix, name in ((".hocr", "ocr.hocr.gz"), (".xml", "ocr.alto.xml.gz")):
            data = base.with_suffix(suffix).read_bytes()
            (out_dir / name).write_bytes(gzip.compress(data, mtime=0))
    meta = {**asdict(page), "lines": lines, "font_file": FONTS[page.font], "wear_detail": asdict(WEARS[page.wear]),
            "tesseract": tesseract_version(), "command": "tesseract page.png ocr txt hocr alto"}
    (out_dir / "page.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="page names (default: all)")
    parser.add_argument("--images", type=Path, help="also keep the page images in DIR")
    parser.add_argument("--list", action="store_true", help="list the pages and stop")
    args = parser.parse_args()
    pages = configurations()
    if args.list:
        for p in pages:
            print(p.name, "hyphenate" if p.hyphenate else "")
        return 0
    if args.only:
        pages = [p for p in pages if p.name in args.only]
    for p in pages:
        make(p, args.images)
        print("made", p.name, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
