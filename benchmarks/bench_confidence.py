#!/usr/bin/env python3
"""Does low OCR confidence predict errors?  tesseract on worn pages of the stored witnesses (issue 10).

    .venv/bin/pip install pillow      # only the benchmarks that draw pages need it
    python3 benchmarks/bench_confidence.py [--quick] [--out benchmarks/results/confidence.json]

Material.  The three stored witnesses (``witnesses/web.txt``, ``frus.txt``,
``corr1957.txt``, some 430 words each), wrapped to 70 characters a line and
drawn with Pillow, 30 lines a page, in several fonts (DejaVu Serif, Liberation
Serif, DejaVu Sans, Liberation Mono: Debian's fonts-dejavu-core and
fonts-liberation) and at several wear levels (`WEAR`: lower resolution, blur,
faded ink, ink lost in specks, speckle noise, grey stains; seeded, so a run is
repeatable).  Each document's pages go through Debian's tesseract 5.3
(``eng``, one job per document, ``OMP_THREAD_LIMIT=1``), which writes hOCR and
ALTO, both with word confidences.  The ground truth is the lines that were
drawn, exactly.

Measure.  Each hOCR is read by `collate.readers` (its ALTO twin too: the
benchmark checks that both give the same text and confidences) and checked
against its ground truth with `collate.api.check`, the function behind
``collate check --json``.  Then:

word level
    an OCR word is *wrong* if a non-empty witness span of an error overlaps
    it; it is *flagged* at threshold X if tesseract's confidence for it is
    below X.  Precision = wrong among flagged, recall = flagged among wrong,
    and *lift* = precision / the share of wrong words (what flagging as many
    words at random would give: the peer measured in the same run).
    *flagged* is the share of all words flagged: the proofreading work.
error level
    for every error of the check, the confidence ``check --json`` gives it
    (``witness_at.confidence``, the lowest of the words it touches, omissions
    included); recall = errors whose confidence is below X.

Everything is in ``benchmarks/results/confidence.json``: per threshold
overall, per wear level and per font, per error class, and per document the
word and error counts, with the tesseract version, the machine and the commit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.api import check  # noqa: E402
from collate.model import Witness  # noqa: E402
from collate.readers import read_source  # noqa: E402

FONTS = {
    "DejaVu Serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "Liberation Serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "Liberation Mono": "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
}
WITNESSES = ("web", "frus", "corr1957")
THRESHOLDS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
LINE_WIDTH = 70  # characters a line, as a typescript
LINES_PER_PAGE = 30
FONT_PX = 30  # drawn at 30 px; wear then lowers the resolution


@dataclass(frozen=True)
class Wear:
    """How worn a page looks: scale (resolution kept), blur radius, ink fading, noise, stains."""

    name: str
    scale: float
    blur: float
    fade: int  # ink grey level (0 black)
    dropouts: int  # specks of lost ink a page (broken letters)
    noise: float  # share of pixels flipped to speckle
    stain: bool


WEAR = (
    Wear("light", scale=0.8, blur=0.3, fade=20, dropouts=0, noise=0.002, stain=False),
    Wear("faded", scale=0.7, blur=0.5, fade=50, dropouts=60, noise=0.004, stain=False),
    Wear("worn", scale=0.6, blur=0.6, fade=60, dropouts=150, noise=0.008, stain=True),
    Wear("heavy", scale=0.5, blur=0.8, fade=80, dropouts=500, noise=0.015, stain=True),
)


def page_lines(text: str) -> list[list[str]]:
    """The witness wrapped to `LINE_WIDTH`, paragraphs kept, cut into pages."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        body = " ".join(paragraph.split())
        if body:
            lines += textwrap.wrap(body, LINE_WIDTH, break_on_hyphens=False) + [""]
    pages = [lines[k : k + LINES_PER_PAGE] for k in range(0, len(lines), LINES_PER_PAGE)]
    return [[line for line in page] for page in pages if any(page)]


def draw(lines: list[str], font_path: str, wear: Wear, seed: int) -> Image.Image:
    """One page: the lines in the font, then worn (thinned, stained, lower resolution, blurred, speckled)."""
    rng = random.Random(seed)
    font = ImageFont.truetype(font_path, FONT_PX)
    step = int(FONT_PX * 1.5)
    image = Image.new("L", (1500, 140 + step * len(lines)), 255)
    pen = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        pen.text((70, 70 + n * step), line, font=font, fill=wear.fade)
    erase = ImageDraw.Draw(image)
    for _ in range(wear.dropouts):  # worn type: ink lost in small specks
        x, y, r = rng.randrange(image.width), rng.randrange(image.height), rng.uniform(1.5, 3.5)
        erase.ellipse((x - r, y - r, x + r, y + r), fill=255)
    if wear.stain:  # a few grey blots darken the paper, not the ink
        stain = Image.new("L", image.size, 255)
        blots = ImageDraw.Draw(stain)
        for _ in range(3):
            x, y, r = rng.randrange(image.width), rng.randrange(image.height), rng.randrange(80, 260)
            blots.ellipse((x - r, y - r, x + r, y + r), fill=rng.randrange(150, 215))
        image = ImageChops.darker(image, stain.filter(ImageFilter.GaussianBlur(25)))
    small = image.resize((int(image.width * wear.scale), int(image.height * wear.scale)), Image.Resampling.BILINEAR)
    if wear.blur:
        small = small.filter(ImageFilter.GaussianBlur(wear.blur))
    pixels = small.load()
    assert pixels is not None
    for _ in range(int(small.width * small.height * wear.noise)):
        x, y = rng.randrange(small.width), rng.randrange(small.height)
        pixels[x, y] = rng.choice((0, 90, 255, 255))
    return small


def ocr(pages: list[Image.Image], folder: Path, name: str) -> tuple[Path, Path]:
    """tesseract on the pages as one job: the hOCR and ALTO files (images at 300 dpi, as scanned)."""
    paths = []
    for n, page in enumerate(pages, 1):
        path = folder / f"{name}-p{n}.png"
        page.save(path, dpi=(300, 300))
        paths.append(str(path))
    listing = folder / f"{name}.list"
    listing.write_text("\n".join(paths) + "\n")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(["tesseract", str(listing), str(folder / name), "-l", "eng", "hocr", "alto"],
                   check=True, capture_output=True, env=env)
    return folder / f"{name}.hocr", folder / f"{name}.xml"


@dataclass
class Tally:
    """Counts for one threshold: words flagged and wrong, errors whose confidence is under it."""

    words: int = 0
    wrong: int = 0
    flagged: int = 0
    flagged_wrong: int = 0
    errors: int = 0
    errors_flagged: int = 0

    def add(self, other: Tally) -> None:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def summary(self) -> dict[str, float | int | None]:
        precision = self.flagged_wrong / self.flagged if self.flagged else None
        recall = self.flagged_wrong / self.wrong if self.wrong else None
        base = self.wrong / self.words if self.words else None
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
        return {
            **vars(self), "precision": precision, "recall": recall, "f1": f1, "base_rate": base,
            "lift": precision / base if precision is not None and base else None,
            "flagged_share": self.flagged / self.words if self.words else None,
            "error_recall": self.errors_flagged / self.errors if self.errors else None,
        }


def measure(hocr: Path, truth: str) -> tuple[dict[float, Tally], list[tuple[str, float | None]], dict[str, object]]:
    """Per threshold, the tallies of one document; every error's (class, confidence); its counts."""
    ex = read_source(hocr)
    result = check(Witness("ocr", ex.text, source=ex), Witness("gt", truth))
    words = ex.words
    wrong = [False] * len(words)
    for error in result.errors:
        start, end = error.witness_span  # the hOCR text is NFC already: spans are offsets into it
        if end > start:
            for i in words.overlapping(start, end):
                wrong[i] = True
    errors = [(e.cls.value, p.witness.confidence) for e, p in zip(result.errors, result.places)]
    tallies = {}
    for x in THRESHOLDS:
        t = Tally(words=len(words), wrong=sum(wrong), errors=len(errors))
        for i, conf in enumerate(words.confidences):
            low = conf is not None and conf < x
            t.flagged += low
            t.flagged_wrong += low and wrong[i]
        t.errors_flagged = sum(1 for _, c in errors if c is not None and c < x)
        tallies[x] = t
    counts = {"words": len(words), "wrong_words": sum(wrong), "errors": len(errors), "cer": result.cer, "wer": result.wer,
              "no_confidence": sum(c is None for c in words.confidences)}
    return tallies, errors, counts


def table(rows: Iterable[tuple[str, Tally]], head: str = "threshold X") -> list[str]:
    out = [f"| {head} | words flagged | precision | recall | lift | F1 | error recall |", "|---|---|---|---|---|---|---|"]
    for label, t in rows:
        s = t.summary()
        out.append(f"| {label} | {_pct(s['flagged_share'])} | {_pct(s['precision'])} | {_pct(s['recall'])} | "
                   f"{s['lift']:.1f}× | {_pct(s['f1'])} | {_pct(s['error_recall'])} |" if s["lift"] else f"| {label} | – |")
    return out


def _pct(value: object) -> str:
    return f"{value * 100:.1f}%" if isinstance(value, float) else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one witness (web), two fonts: a few minutes less")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/confidence.json")
    args = parser.parse_args()
    witnesses = WITNESSES[:1] if args.quick else WITNESSES
    fonts = list(FONTS)[:2] if args.quick else list(FONTS)
    load_start, started = os.getloadavg(), time.time()
    overall: dict[float, Tally] = {x: Tally() for x in THRESHOLDS}
    by_wear: dict[str, dict[float, Tally]] = defaultdict(lambda: {x: Tally() for x in THRESHOLDS})
    by_font: dict[str, dict[float, Tally]] = defaultdict(lambda: {x: Tally() for x in THRESHOLDS})
    by_class: dict[str, Counter[float]] = defaultdict(Counter)
    class_totals: Counter[str] = Counter()
    documents, alto_disagreements, unconfident = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for siglum in witnesses:
            pages = page_lines((ROOT / "witnesses" / f"{siglum}.txt").read_text(encoding="utf-8"))
            truth = "\n".join("\n".join(page) for page in pages)
            for wear in WEAR:
                for font in fonts:
                    name = f"{siglum}-{wear.name}-{font.replace(' ', '')}"
                    seed = sum(map(ord, name))  # the same pages every run (str hashes are salted)
                    images = [draw(page, FONTS[font], wear, seed=seed + n) for n, page in enumerate(pages)]
                    hocr, alto = ocr(images, Path(tmp), name)
                    tallies, errors, counts = measure(hocr, truth)
                    h, a = read_source(hocr), read_source(alto)
                    alto_disagreements += (h.text != a.text) or (h.words.confidences != a.words.confidences)
                    for x, t in tallies.items():
                        overall[x].add(t)
                        by_wear[wear.name][x].add(t)
                        by_font[font][x].add(t)
                    for cls, conf in errors:
                        class_totals[cls] += 1
                        unconfident += conf is None
                        for x in THRESHOLDS:
                            by_class[cls][x] += conf is not None and conf < x
                    documents.append({"document": name, "witness": siglum, "wear": wear.name, "font": font,
                                      "pages": len(pages), **counts})
                    print(f"{name}: {counts['words']} words, {counts['wrong_words']} wrong, {counts['errors']} errors, "
                          f"CER {counts['cer']:.2%}", file=sys.stderr, flush=True)
    words, wrong = overall[THRESHOLDS[0]].words, overall[THRESHOLDS[0]].wrong
    errors_total = overall[THRESHOLDS[0]].errors
    print(f"\n{len(documents)} documents ({len(witnesses)} witnesses x {len(WEAR)} wear levels x {len(fonts)} fonts), "
          f"{words} OCR words, {wrong} wrong ({wrong / words:.1%}), {errors_total} errors\n")
    print("\n".join(table((f"< {x}", overall[x]) for x in THRESHOLDS)))
    print("\nBy wear level, at X = 0.8 (mean CER of the level's documents):\n")
    print("\n".join(table(((f"{w.name} (CER {_mean_cer(documents, 'wear', w.name):.1%})", by_wear[w.name][0.8]) for w in WEAR),
                          head="wear")))
    print("\nError recall by class (errors whose confidence is below X):\n")
    shown = (0.5, 0.8, 0.9, 0.95)
    print("| class | errors | " + " | ".join(f"< {x}" for x in shown) + " |\n|---|---|" + "---|" * len(shown))
    for cls in sorted(class_totals, key=lambda c: -class_totals[c]):
        print(f"| {cls} | {class_totals[cls]} | " + " | ".join(f"{by_class[cls][x] / class_totals[cls]:.1%}" for x in shown) + " |")
    print(f"\n{unconfident} errors touch no OCR word (no confidence); ALTO and hOCR disagree in {alto_disagreements} documents")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    report = {
        "material": {"witnesses": list(witnesses), "fonts": fonts, "wear": [vars(w) for w in WEAR],
                     "line_width": LINE_WIDTH, "lines_per_page": LINES_PER_PAGE, "font_px": FONT_PX},
        "tesseract": version,
        "words": words, "wrong_words": wrong, "errors": errors_total,
        "alto_and_hocr_disagree_in": alto_disagreements,
        "errors_without_confidence": unconfident,
        "thresholds": {str(x): overall[x].summary() for x in THRESHOLDS},
        "by_wear": {w: {str(x): t.summary() for x, t in tallies.items()} for w, tallies in by_wear.items()},
        "by_font": {f: {str(x): t.summary() for x, t in tallies.items()} for f, tallies in by_font.items()},
        "error_recall_by_class": {cls: {"errors": class_totals[cls], **{str(x): by_class[cls][x] / class_totals[cls]
                                                                        for x in THRESHOLDS}} for cls in sorted(class_totals)},
        "documents": documents,
        "seconds": time.time() - started,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "loadavg_start": load_start, "loadavg_end": os.getloadavg()},
        "commit": commit,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def _mean_cer(documents: list[dict[str, object]], key: str, value: str) -> float:
    cers = [float(d["cer"]) for d in documents if d[key] == value]  # type: ignore[arg-type]
    return sum(cers) / len(cers)


if __name__ == "__main__":
    main()
