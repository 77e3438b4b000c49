"""What the OCR readers (ALTO, PAGE, hOCR) share: pages of lines of words, laid out as text.

Each OCR reader turns its file into `OcrPage` values, in reading order, and
`assemble` lays them out the same way for all three, as dinglehopper does:

- a line's pieces (words, and the spaces or other text between them)
  concatenated as they are: the readers put one space between words;
- lines, blocks and pages separated by one line break (``"\\n"``);
- no line break at the start or the end; a line with no text is skipped;
- a line that ends in a hyphenation mark (``OcrLine.hyphen``) is joined to
  the next with `Hyphens.JOIN`, or keeps the mark and the break with
  `Hyphens.KEEP`.

Every line is an anchor (page, its line number on the page counted from 1,
its id, its line in the XML file); every word with an id or a confidence is
an entry of the word map.

>>> page = OcrPage(label="", lines=(
...     OcrLine("l1", 3, (("organi", "w1", 0.9),), hyphen="\\u00ac", joins=True),
...     OcrLine("l2", 4, (("zation", "w2", 0.5), (" ", "", None), ("of", "w3", 0.8))),
... ))
>>> assemble((page,), SourceFormat.PAGE, Hyphens.JOIN).text
'organization of'
>>> assemble((page,), SourceFormat.PAGE, Hyphens.KEEP).text
'organi¬\\nzation of'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .build import TextBuilder
from .model import Extracted, Hyphens, SourceFormat

Piece = tuple[str, str, float | None]
"""A piece of a line: its text, its element id and its confidence.

A word has an id or a confidence (or both); a piece with neither (``""``,
None) is text between words, such as the space the readers put there.
"""

SPACE: Piece = (" ", "", None)


def spaced(words: list[Piece]) -> tuple[Piece, ...]:
    """The words with one space between each two.

    >>> spaced([("a", "w1", None), ("b", "w2", None)])
    (('a', 'w1', None), (' ', '', None), ('b', 'w2', None))
    """
    out: list[Piece] = []
    for word in words:
        if out:
            out.append(SPACE)
        out.append(word)
    return tuple(out)

# Marks that only ever mean "this word goes on on the next line" when they end
# a line: the not sign (Transkribus and many GT guidelines) and the soft hyphen.
# A plain "-" may end a compound ("German-" / "Fascist"), so it is never removed.
LINE_END_HYPHENS = ("\u00ac", "\u00ad")


class OcrLine(NamedTuple):
    """One text line: its id, its line in the source file, its words, and how it ends.

    ``joins`` says the line's last word goes on on the next line; ``hyphen``
    is the mark the page shows for it (not part of any piece; may be empty).
    """

    id: str
    source_line: int
    pieces: tuple[Piece, ...]
    hyphen: str = ""
    joins: bool = False


class OcrPage(NamedTuple):
    label: str
    lines: tuple[OcrLine, ...]


def split_hyphen(pieces: tuple[Piece, ...]) -> tuple[tuple[Piece, ...], str]:
    """Take a line-final ``¬`` or soft hyphen off the last word, as the line's hyphen.

    >>> split_hyphen((("the", "w1", None), SPACE, ("organi\\u00ac", "w2", 0.9)))
    ((('the', 'w1', None), (' ', '', None), ('organi', 'w2', 0.9)), '¬')
    """
    if pieces:
        text, ident, conf = pieces[-1]
        stripped = text.rstrip()
        if stripped.endswith(LINE_END_HYPHENS) and len(stripped) > 1:
            return pieces[:-1] + ((stripped[:-1], ident, conf),), stripped[-1]
    return pieces, ""


def assemble(pages: Iterable[OcrPage], fmt: SourceFormat, hyphens: Hyphens) -> Extracted:
    """Lay out ``pages`` as reading text with anchors and a word map."""
    b = TextBuilder()
    joined = False  # the previous line ended in a hyphen that joins
    for number, page in enumerate(pages, 1):
        b.page_labels.append(page.label)
        line_no = 0
        for line in page.lines:
            if not any(text for text, _, _ in line.pieces):
                continue
            line_no += 1
            if b.length and not joined:
                b.append("\n")
            b.anchor(page=number, line=line_no, id=line.id, source_line=line.source_line)
            b.extend(line.pieces)
            joined = line.joins and hyphens is Hyphens.JOIN
            if not joined:
                b.append(line.hyphen)
    if not b.page_labels:
        b.page_labels.append("")
    return b.finish(fmt)
