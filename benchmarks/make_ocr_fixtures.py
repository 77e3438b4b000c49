#!/usr/bin/env python3
"""Make the OCR fixtures of tests/data/readers/tesseract/ from the stored witnesses.

    .venv/bin/pip install pillow      # only this script needs it
    python3 benchmarks/make_ocr_fixtures.py [--out tests/data/readers/tesseract]

Renders the opening of ``witnesses/web.txt`` onto two page images with Pillow
(DejaVu Serif, from Debian's fonts-dejavu-core) and runs Debian's tesseract
5.3 (``eng``) on them, writing per page set:

``web.alto.xml``, ``web.hocr``, ``web.txt``
    tesseract's ALTO, hOCR and plain-text renderings of both pages, run as one
    two-page job (``tesseract pages.txt web alto hocr txt``);
``web.source.txt``
    the exact text that was drawn, one image line per text line, pages
    separated by a form feed: what a perfect OCR would read;
``web-p1.gt.page.xml``, ``web-p2.gt.page.xml``
    that text as ground truth in PAGE-XML, built with lxml to the 2013
    schema (page 1: one region per paragraph, ``Word``s and line
    ``TextEquiv``s, the hyphenation written ``organi¬`` as Transkribus and
    many GT guidelines do) and to the 2019 schema (page 2: a
    ``ReadingOrder`` listing the regions out of document order, and two
    ``TextEquiv``s per line, the ground truth with ``index="1"`` after a
    wrong reading with ``index="2"``).

Page 1 is drawn large and clean; page 2 smaller and blurred, so that tesseract
makes a few errors and gives some words low confidence.  Two line ends are
hyphenated by hand ("organi-" / "zation", "with-" / "drawal") to exercise the
readers' hyphenation rules.  The images themselves are written to a temporary
folder and not kept.  tesseract's output carries its version in the
ALTO/hOCR headers; re-running the script with the same tesseract gives the same
files.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from lxml import etree
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

# (font size in px, blur radius, the lines drawn).  Line breaks are chosen by
# hand so that the hyphenated words fall at line ends.
PAGES: tuple[tuple[int, float, tuple[str, ...]], ...] = (
    (30, 0.0, (
        "AIDE-MEMORIE",
        "",
        "As the result of an exchange of views in Moscow which took",
        "place on August 12th of this year, I ascertained that the Prime",
        "Minister of Great Britain, Mr. Churchill, considered the organi-",
        "zation of a second front in Europe in 1942 to be impossible.",
        "",
        "As is well known, the organization of a second front in Europe",
        "in 1942 was pre-decided during the sojourn of Molotov in London",
        "and it found expression in the agreed Anglo-Soviet communique",
        "published on June 12th last.",
    )),
    (15, 1.5, (
        "It is also known that the organization of a second front Europe had as its object the with-",
        "drawal of Germany forces from Easter front to the West, and the creation in the West of a",
        "serious base of resistance to the German-Fascist forces and then affording of relief by this",
        "means to the situation of the Soviet forces on the Soviet-German front in 192.",
    )),
)


def render(size: int, blur: float, lines: tuple[str, ...], path: Path) -> None:
    font = ImageFont.truetype(FONT, size)
    step = int(size * 1.6)
    image = Image.new("L", (1400, 120 + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((60, 60 + n * step), line, font=font, fill=0)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    image.save(path, dpi=(300, 300))


PAGE_2013 = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15"
PAGE_2019 = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"


def _equiv(parent: etree._Element, ns: str, text: str, **attrs: str) -> None:
    equiv = etree.SubElement(parent, f"{{{ns}}}TextEquiv", attrs)
    etree.SubElement(equiv, f"{{{ns}}}Unicode").text = text


def page_xml(n: int, ns: str, lines: tuple[str, ...]) -> bytes:
    """Ground truth of page n as PAGE-XML: paragraphs (split at empty lines) as regions."""
    root = etree.Element(f"{{{ns}}}PcGts", nsmap={None: ns})
    meta = etree.SubElement(root, f"{{{ns}}}Metadata")
    etree.SubElement(meta, f"{{{ns}}}Creator").text = "collate benchmarks/make_ocr_fixtures.py"
    etree.SubElement(meta, f"{{{ns}}}Created").text = "2025-01-01T00:00:00"
    etree.SubElement(meta, f"{{{ns}}}LastChange").text = "2025-01-01T00:00:00"
    page = etree.SubElement(root, f"{{{ns}}}Page", imageFilename=f"web-p{n}.png", imageWidth="1400", imageHeight="700")
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    if ns == PAGE_2019:  # two lines a region; the reading order names them, and they are written last first
        paragraphs = [list(lines[k:k + 2]) for k in range(0, len(lines), 2)]
        group = etree.SubElement(etree.SubElement(page, f"{{{ns}}}ReadingOrder"), f"{{{ns}}}OrderedGroup", id="ro")
        for i in range(len(paragraphs)):
            etree.SubElement(group, f"{{{ns}}}RegionRefIndexed", index=str(i), regionRef=f"p{n}_r{i}")
        order = list(reversed(range(len(paragraphs))))
    else:
        order = list(range(len(paragraphs)))
    for i in order:
        region = etree.SubElement(page, f"{{{ns}}}TextRegion", id=f"p{n}_r{i}", type="paragraph")
        etree.SubElement(region, f"{{{ns}}}Coords", points="0,0 1,0 1,1 0,1")
        for j, text in enumerate(paragraphs[i]):
            text = text[:-1] + "\u00ac" if text.endswith("organi-") else text
            line = etree.SubElement(region, f"{{{ns}}}TextLine", id=f"p{n}_r{i}_l{j}")
            etree.SubElement(line, f"{{{ns}}}Coords", points="0,0 1,0 1,1 0,1")
            if ns == PAGE_2013:
                for k, word in enumerate(text.split()):
                    w = etree.SubElement(line, f"{{{ns}}}Word", id=f"p{n}_r{i}_l{j}_w{k}")
                    etree.SubElement(w, f"{{{ns}}}Coords", points="0,0 1,0 1,1 0,1")
                    _equiv(w, ns, word, conf="1.0")
                _equiv(line, ns, text)
            else:
                _equiv(line, ns, text.upper(), index="2", conf="0.2")
                _equiv(line, ns, text, index="1", conf="0.9")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests/data/readers/tesseract")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        images = []
        for n, (size, blur, lines) in enumerate(PAGES, 1):
            image = Path(tmp) / f"web-p{n}.png"
            render(size, blur, lines, image)
            images.append(str(image))
        listing = Path(tmp) / "pages.txt"
        listing.write_text("\n".join(images) + "\n")
        subprocess.run(
            ["tesseract", str(listing), str(Path(tmp) / "web"), "-l", "eng", "alto", "hocr", "txt"],
            check=True, capture_output=True,
        )
        for suffix, name in ((".xml", "web.alto.xml"), (".hocr", "web.hocr"), (".txt", "web.txt")):
            data = (Path(tmp) / f"web{suffix}").read_text(encoding="utf-8").replace(tmp + "/", "")
            (args.out / name).write_text(data, encoding="utf-8")
    for n, ((_, _, lines), ns) in enumerate(zip(PAGES, (PAGE_2013, PAGE_2019)), 1):
        (args.out / f"web-p{n}.gt.page.xml").write_bytes(page_xml(n, ns, lines))
    source = "\f".join("\n".join(line for line in lines if line) + "\n" for _, _, lines in PAGES)
    (args.out / "web.source.txt").write_text(source, encoding="utf-8")


if __name__ == "__main__":
    main()
