"""The Markdown reader: the text without markup, via markdown-it-py (CommonMark).

Each block that holds text (a heading, a paragraph, including those in list
items and block quotes, a code block) becomes one paragraph of the reading
text; paragraphs are separated by a blank line (``"\\n\\n"``).  Inside a
paragraph, a line break of the source stays a line break.  Inline markup
(emphasis, links, code spans, backslash escapes, entities) is dropped and its
text kept; raw HTML and images are dropped.  Tables are not a CommonMark
feature: their rows are read as paragraph text, pipes included.

Positions are the source's own: line and column (1-based) in the Markdown
file, found for every text run, so ``**Easter** front`` puts ``front`` at the
column where it stands in the file, not where it stands in the reading text.

>>> ex = read_markdown(b"## AIDE-MEMORIE\\n\\nAs *the* result", "web.md")
>>> ex.text
'AIDE-MEMORIE\\n\\nAs the result'
>>> ex.where(ex.text.index("result"))
Position(page=1, line=3, column=10, id='', source_line=3, page_label='', line_label='')
"""

from __future__ import annotations

from typing import Any

from ..errors import CollateError
from .build import TextBuilder
from .model import Extracted, SourceFormat
from .plain import decode_text

_TEXT_CHILDREN = ("text", "code_inline")


class _Cursor:
    """Where in the source lines the next inline text is searched for."""

    def __init__(self, lines: list[str], line: int) -> None:
        self.lines = lines
        self.line = line  # 0-based
        self.col = 0  # 0-based, in characters
        self.expected: tuple[int, int] | None = None  # where the builder's next char stands if nothing jumps

    def place(self, b: TextBuilder, content: str) -> None:
        """Anchor ``content`` at its place in the source, unless it continues the last run."""
        source = self.lines[self.line] if self.line < len(self.lines) else ""
        found = source.find(content, self.col)
        col = found if found != -1 else self.col
        if self.expected != (self.line, col):
            b.anchor(page=1, line=self.line + 1, column=col + 1, source_line=self.line + 1)
        self.col = col + len(content)
        self.expected = (self.line, self.col)

    def newline(self) -> None:
        self.line += 1
        self.col = 0
        self.expected = None


def _inline(b: TextBuilder, token: Any, lines: list[str]) -> None:
    cursor = _Cursor(lines, token.map[0] if token.map else 0)
    for child in token.children or ():
        if child.type in _TEXT_CHILDREN and child.content:
            cursor.place(b, child.content)
            b.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            b.trim_end(" ")
            b.append("\n")
            cursor.newline()


def _code(b: TextBuilder, token: Any) -> None:
    first = token.map[0] + (1 if token.type == "fence" else 0) if token.map else 0
    for n, line in enumerate(token.content.rstrip("\n").split("\n")):
        if n:
            b.append("\n")
        b.anchor(page=1, line=first + n + 1, source_line=first + n + 1)
        b.append(line)


def read_markdown(data: bytes, path: str) -> Extracted:
    """Read a Markdown file: its text without markup, with source lines and columns."""
    from markdown_it import MarkdownIt  # imported here: only Markdown input needs it

    source = decode_text(data, path)
    lines = source.split("\n")
    b = TextBuilder()
    for token in MarkdownIt("commonmark").parse(source):
        if token.type not in ("inline", "fence", "code_block"):
            continue
        if token.type == "inline" and not any(c.type in _TEXT_CHILDREN and c.content.strip() for c in token.children or ()):
            continue
        if b.length:
            b.append("\n\n")
        if token.type == "inline":
            _inline(b, token, lines)
        else:
            _code(b, token)
    if not b.length:
        raise CollateError("the Markdown file holds no text outside markup", path=path)
    return b.finish(SourceFormat.MARKDOWN)
