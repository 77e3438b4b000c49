"""A private accumulator the readers write into, and that freezes into an `Extracted`.

A reader walks its source once, appending text and marking where the source
position jumps; `TextBuilder.finish` returns the frozen value.  The builder
is local to one call of one reader and never escapes it.

>>> b = TextBuilder()
>>> b.anchor(page=1, line=1, id="l1", source_line=5)
>>> b.append("organi-")
>>> b.trim_end("-")
>>> b.anchor(page=1, line=2, id="l2", source_line=6)
>>> b.append("zation")
>>> ex = b.finish(SourceFormat.ALTO)
>>> ex.text, ex.where(7).line, ex.where(7).column
('organization', 2, 2)
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Extracted, Flag, FlagKind, Gap, GapKind, PositionMap, SourceFormat, WordMap


class TextBuilder:
    """Text pieces, anchors, words, gaps and flags, all in text order."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.length = 0
        self.last = ""  # the last character appended, "" at the start
        self._starts: list[int] = []
        self._pages: list[int] = []
        self._lines: list[int] = []
        self._columns: list[int] = []
        self._ids: list[str] = []
        self._source_lines: list[int] = []
        self._line_labels: list[str] = []
        self.page_labels: list[str] = []
        self._wstarts: list[int] = []
        self._wends: list[int] = []
        self._wids: list[str] = []
        self._wconf: list[float | None] = []
        self._gaps: list[Gap] = []
        self._flags: list[Flag] = []

    def append(self, text: str) -> None:
        if text:
            self._parts.append(text)
            self.length += len(text)
            self.last = text[-1]

    def anchor(self, *, page: int, line: int, id: str = "", source_line: int = 0,
               column: int = 1, line_label: str = "") -> None:
        """From the current offset on, the source stands at this page, line and column."""
        self._starts.append(self.length)
        self._pages.append(page)
        self._lines.append(line)
        self._columns.append(column)
        self._ids.append(id)
        self._source_lines.append(source_line)
        self._line_labels.append(line_label)

    def word(self, start: int, id: str, confidence: float | None) -> None:
        """An OCR word from ``start`` to the current offset."""
        if self.length > start:
            self._wstarts.append(start)
            self._wends.append(self.length)
            self._wids.append(id)
            self._wconf.append(confidence)

    def extend(self, pieces: Iterable[tuple[str, str, float | None]]) -> None:
        """Append ``(text, id, confidence)`` pieces; a piece with an id or a confidence is a word.

        The OCR readers' inner loop: one call per line, not one per word.
        """
        parts, starts, ends, ids, confs = self._parts, self._wstarts, self._wends, self._wids, self._wconf
        n = self.length
        for text, ident, conf in pieces:
            if text:
                parts.append(text)
                if ident or conf is not None:
                    starts.append(n)
                    ends.append(n + len(text))
                    ids.append(ident)
                    confs.append(conf)
                n += len(text)
        if n != self.length:
            self.length = n
            self.last = parts[-1][-1]

    def gap(self, kind: GapKind, reason: str = "", extent: str = "") -> None:
        self._gaps.append(Gap(self.length, kind, reason, extent))

    def flag(self, start: int, kind: FlagKind, reason: str = "") -> None:
        if self.length > start:
            self._flags.append(Flag(start, self.length, kind, reason))

    def tail(self, n: int) -> str:
        """The last ``n`` characters appended (fewer at the start)."""
        out = ""
        for part in reversed(self._parts):
            out = part + out
            if len(out) >= n:
                break
        return out[-n:] if n else ""

    def trim_end(self, chars: str) -> None:
        """Drop trailing characters that are in ``chars``; marks past the new end move back to it."""
        while self._parts:
            last = self._parts[-1]
            kept = last.rstrip(chars)
            self.length -= len(last) - len(kept)
            if kept:
                self._parts[-1] = kept
                break
            self._parts.pop()
        self.last = self._parts[-1][-1] if self._parts else ""
        end = self.length
        self._starts = [min(s, end) for s in self._starts]
        self._wends = [min(e, end) for e in self._wends]
        self._gaps = [g if g.offset <= end else Gap(end, g.kind, g.reason, g.extent) for g in self._gaps]
        self._flags = [f if f.end <= end else Flag(f.start, end, f.kind, f.reason) for f in self._flags if f.start < end]

    def finish(self, fmt: SourceFormat) -> Extracted:
        keep = [i for i in range(len(self._starts)) if i + 1 == len(self._starts) or self._starts[i + 1] != self._starts[i]]
        words = range(len(self._wstarts))
        if any(e <= s for s, e in zip(self._wstarts, self._wends)):  # only after trim_end
            words = [i for i in words if self._wends[i] > self._wstarts[i]]  # type: ignore[assignment]
        positions = PositionMap(
            starts=tuple(self._starts[i] for i in keep),
            pages=tuple(self._pages[i] for i in keep),
            lines=tuple(self._lines[i] for i in keep),
            columns=tuple(self._columns[i] for i in keep),
            ids=tuple(self._ids[i] for i in keep),
            source_lines=tuple(self._source_lines[i] for i in keep),
            line_labels=tuple(self._line_labels[i] for i in keep),
            page_labels=tuple(self.page_labels),
        )
        return Extracted(
            text="".join(self._parts),
            format=fmt,
            positions=positions,
            words=WordMap(
                starts=tuple(self._wstarts[i] for i in words),
                ends=tuple(self._wends[i] for i in words),
                ids=tuple(self._wids[i] for i in words),
                confidences=tuple(self._wconf[i] for i in words),
            ),
            gaps=tuple(self._gaps),
            flags=tuple(self._flags),
        )
