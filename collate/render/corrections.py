"""Corrections to make: a check's errors as instructions a transcriber follows, in reading order.

One line per error: where it stands in the witness, then what to do there.

    l. 7: Easter → Eastern
    l. 7: insert ‘the’ before ‘Easter’
    p. 2, l. 3: delete ‘Mr.’

`correction` words one error: a pure function of its class, its two
readings and the witness's text on either side.  `corrections` lists a
check's errors so, in the order they stand in the witness; `to_text` and
`to_csv` are the two file forms of ``collate check --corrections PATH``, and
the JSON and the HTML page of `collate.render.check` carry the same list.

The wording:

- A change reads ``witness → reference``: ``Easter → Eastern``.  A reading
  with no letter or digit is quoted (``‘,’ → ‘.’``) and placed by the word
  before it; whitespace is named (``a space``, ``a line break``).  A case
  change says which letter (``command → Command (capital C)``), spacing
  whether to close up or to split, a word hyphenated at a line end that it
  is to be joined.
- What the witness lacks is inserted: a word before the witness's next word
  (``insert ‘the’ before ‘Soviet’``; after its last word at the end), a mark
  after the word before it, whitespace between the two words it separates.
- What the witness adds is deleted: ``delete ‘Mr.’``; a mark or whitespace
  with the word(s) beside it.
- A reading that occurs more than once on its line is placed by the word
  after it: ``the → then (before ‘Soviet’)``; a word that places a
  correction but itself occurs more than once on the line comes with the
  word next to it (``insert ‘that’ before ‘the organization’``).
- Inside a reading a line break is ⏎, and control characters are made
  visible (`collate.errors.visible`), so every correction is one line and
  an invisible character to remove can be seen.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import visible
from ..fidelity import FidelityReport
from ..locate import ErrorPlace, Place
from ..model import VariantClass

__all__ = ["Correction", "correction", "correction_parts", "corrections", "for_path", "to_csv", "to_text", "where"]

CONTEXT = 60
"""Characters on either side of an error in which to find the words beside it."""

LINE_WINDOW = 300
"""Characters of an error's line taken on either side of it (all of a line of ordinary length): a reading
is "repeated" when it occurs again within them.  Bounded so that a text with no line breaks stays quick."""

WORD_LIMIT = 24
"""A neighbouring word longer than this is cut (with …): it only says where, the line says the rest."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction: error ``number`` (from 1, as the page numbers them), where it
    stands in the witness, its class and readings, and its wording in ``parts``:
    literal text and readings alternating, readings at the odd indices (a page
    isolates each for bidi)."""

    number: int
    place: Place
    cls: VariantClass
    witness: str
    reference: str
    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        """The wording: ``Easter → Eastern``."""
        return "".join(self.parts)

    @property
    def where(self) -> str:
        """``l. 14``, or ``p. 2, l. 14`` where the source has pages."""
        return where(self.place)

    @property
    def line(self) -> str:
        """The correction as one line of the list: ``l. 14: Easter → Eastern``."""
        return f"{self.where}: {self.text}"


def where(place: Place) -> str:
    """The line a correction cites: page (where the source has pages) and line, as `collate.locate.cite` names them.

    >>> from collate.readers import Position
    >>> where(Place(Position(2, 14, 3, "", 9, page_label="1v"), 0, paged=True)), where(Place(Position(1, 14, 3, "", 14), 0))
    ('p. 1v, l. 14', 'l. 14')
    """
    at = place.at
    line = f"l. {at.line_label or at.line}"
    return f"p. {at.page_label or at.page}, {line}" if place.paged else line


# ----------------------------------------------------------------------------- wording


def correction(cls: VariantClass, witness: str, reference: str, *, before: str = "", after: str = "") -> str:
    """What to do to the witness's ``witness`` reading to make it the reference's ``reference``.

    ``before`` and ``after`` are the witness's text on the reading's line
    before and after it: the words there place an insertion, a mark, or a
    reading that occurs more than once on the line (two words where one
    would not say which).

    >>> correction(VariantClass.TYPO, "Easter", "Eastern")
    'Easter → Eastern'
    >>> correction(VariantClass.OMISSION, "", "the", before="the Easter front. ", after="Soviet Union")
    'insert ‘the’ before ‘Soviet’'
    >>> correction(VariantClass.OMISSION, "", "that", before="Mr. Churchill considered ", after="the organization of the front")
    'insert ‘that’ before ‘the organization’'
    >>> correction(VariantClass.ADDITION, "Mr.", "", after=" faet")
    'delete ‘Mr.’'
    >>> correction(VariantClass.PUNCTUATION, "", ",", before="the Easter front", after=" in 192.")
    'insert ‘,’ after ‘front’'
    >>> correction(VariantClass.PUNCTUATION, ",", ".", before="the command", after=" As")
    '‘,’ → ‘.’ after ‘command’'
    >>> correction(VariantClass.PUNCTUATION, "’", " ", before="Europe", after="in May")
    '‘’’ → a space between ‘Europe’ and ‘in’'
    >>> correction(VariantClass.SPACING, "", " ", before="it", after="'s")
    "insert a space between ‘it’ and ‘'s’"
    >>> correction(VariantClass.CASE, "command", "Command"), correction(VariantClass.CASE, "AS", "As")
    ('command → Command (capital C)', 'AS → As (lower-case s)')
    >>> correction(VariantClass.SPACING, "in as much", "inasmuch"), correction(VariantClass.SPACING, "Easternfront", "Eastern front")
    ('in as much → inasmuch (close up)', 'Easternfront → Eastern front (split)')
    >>> correction(VariantClass.HYPHENATION, "Mol-\\notov", "Molotov")
    'Mol-⏎otov → Molotov (join the word)'
    >>> correction(VariantClass.TYPO, "then", "the", before="and then ", after=" Soviet")
    'then → the (before ‘Soviet’)'
    """
    return "".join(correction_parts(cls, witness, reference, before=before, after=after))


def correction_parts(cls: VariantClass, witness: str, reference: str, *, before: str = "", after: str = "") -> tuple[str, ...]:
    """`correction`'s wording cut into literal text and readings, alternating: readings at the odd indices.

    >>> correction_parts(VariantClass.OMISSION, "", "the", after=" Soviet")
    ('insert ‘', 'the', '’ before ‘', 'Soviet', '’')
    """
    out = _Wording()
    near = _Neighbours(before, witness, after)
    if not witness:
        out.say("insert ").show(reference, quote=True)
        if reference.isspace() and near.prev and near.next:
            near.between(out)
        elif (_is_mark(reference) and near.prev) or not near.next:
            near.after(out)
        else:
            near.before(out)
    elif not reference:
        out.say("delete ").show(witness, quote=True)
        if _is_mark(witness) or near.repeated:
            near.place(out, witness)
    else:
        out.show(witness).say(" \u2192 ").show(reference)
        hint = _hint(cls, witness, reference)
        if hint:
            out.say(f" ({hint})")
        if _is_mark(witness) or _is_mark(reference):
            near.place(out, witness)
        elif near.repeated and (near.next or near.prev):
            out.say(" (before ‘" if near.next else " (after ‘").show(near.next or near.prev).say("’)")
    return out.parts()


class _Neighbours:
    """The words beside a reading on its line, and how to name them so that they say where."""

    def __init__(self, before: str, reading: str, after: str) -> None:
        self.line = before + reading + after
        self.prev_words, self.next_words = before[-CONTEXT:].split(), after[:CONTEXT].split()
        self.glued = (bool(before) and not before[-1].isspace(), bool(after) and not after[0].isspace())
        self.repeated = bool(reading) and _occurrences(self.line, reading) > 1
        self.prev = self._phrase(self.prev_words[-2:], last=True)
        self.next = self._phrase(self.next_words[:2], last=False)

    def _phrase(self, words: list[str], *, last: bool) -> str:
        """The nearest word, or the nearest two where the one occurs more than once on the line."""
        if not words:
            return ""
        one = words[-1] if last else words[0]
        if len(words) < 2 or _occurrences(self.line, one) <= 1:
            return _word(one)
        return _word(" ".join(words))

    def before(self, out: _Wording) -> None:
        out.say(" before ‘").show(self.next).say("’")

    def after(self, out: _Wording) -> None:
        out.say(" after ‘").show(self.prev).say("’")

    def between(self, out: _Wording) -> None:
        out.say(" between ‘").show(_word(self.prev_words[-1])).say("’ and ‘").show(_word(self.next_words[0])).say("’")

    def place(self, out: _Wording, text: str) -> None:
        """Where ``text``, there in the witness, stands: between its neighbours when it touches both (or is
        whitespace), before the next word when it touches only that (an opening quote), else after the previous."""
        if (all(self.glued) or text.isspace()) and self.prev and self.next:
            self.between(out)
        elif self.next and (not self.prev or (self.glued[1] and not self.glued[0])):
            self.before(out)
        elif self.prev:
            self.after(out)


def _hint(cls: VariantClass, witness: str, reference: str) -> str:
    """What kind of change it is, where the two readings alone do not make it plain."""
    if cls is VariantClass.CASE and len(witness) == len(reference) and witness.lower() == reference.lower():
        changed = [r for w, r in zip(witness, reference) if w != r]
        if changed and all(c.isupper() for c in changed):
            return f"capital {changed[0]}" if len(changed) == 1 else "capitals"
        if changed and all(c.islower() for c in changed):
            return f"lower-case {changed[0]}" if len(changed) == 1 else "lower case"
    if cls is VariantClass.SPACING and "".join(witness.split()) == "".join(reference.split()):
        pieces = len(witness.split()) - len(reference.split())
        return "close up" if pieces > 0 else "split" if pieces < 0 else ""
    if cls is VariantClass.HYPHENATION and "\n" in witness and "\n" not in reference:
        return "join the word"
    return ""


def _is_mark(text: str) -> bool:
    """Text with no letter or digit: punctuation, a symbol or whitespace."""
    return not any(c.isalnum() for c in text)


OPENING = "\"\u201c\u2018\u201e\u00ab\u2039([{\u00bf\u00a1"
CLOSING = ".,;:!?\"'\u201d\u2019\u00bb\u203a)]}\u2026"


def _word(chunk: str) -> str:
    """A neighbouring word as it places a correction: without opening marks before it and
    closing marks after it (unless it is all marks), cut if long.

    >>> _word("\u201cyes\u201d,"), _word("'s"), _word("--"), _word("Donaudampfschifffahrtsgesellschaft")
    ('yes', "'s", '--', 'Donaudampfschifffahrtsge\u2026')
    """
    word = chunk.lstrip(OPENING).rstrip(CLOSING) or chunk
    return word if len(word) <= WORD_LIMIT else word[:WORD_LIMIT] + "\u2026"


def shown(text: str) -> str:
    """A reading on one line: a line break as ⏎, control characters visible.

    >>> shown("soviet-\\nGerman"), shown("\\u202eLondon")
    ('soviet-⏎German', '\\\\u202eLondon')
    """
    return visible(text.replace("\n", "\u23ce"))


def _named(text: str) -> str:
    """Whitespace by name: ``a space``, ``2 spaces``, ``a line break``..."""
    if text == " ":
        return "a space"
    if text == "\n":
        return "a line break"
    if set(text) == {" "}:
        return f"{len(text)} spaces"
    return "whitespace"


class _Wording:
    """Literal text and readings, collected in order (readings at the odd indices of `parts`)."""

    def __init__(self) -> None:
        self._parts: list[str] = [""]

    def say(self, text: str) -> _Wording:
        self._parts[-1] += text
        return self

    def show(self, reading: str, *, quote: bool = False) -> _Wording:
        """A reading: whitespace named (as literal text), a mark quoted, a word bare unless ``quote``."""
        if reading.isspace():
            return self.say(_named(reading))
        q = quote or _is_mark(reading)
        if q:
            self.say("‘")
        self._parts += [shown(reading), ""]
        if q:
            self.say("’")
        return self

    def parts(self) -> tuple[str, ...]:
        return tuple(self._parts)


# ----------------------------------------------------------------------------- the list


def corrections(report: FidelityReport, places: Sequence[ErrorPlace]) -> tuple[Correction, ...]:
    """Every error of ``report`` as a correction, in the order they stand in the witness.

    ``places`` are the errors' places (`collate.locate.locate`), one per error.

    >>> from collate.fidelity import check
    >>> from collate.locate import locate
    >>> from collate.model import Witness
    >>> ref, wit = Witness("gt", "the Eastern front,\\nthe Soviet Union"), Witness("ocr", "the Easter front\\nSoviet Union")
    >>> report = check(ref, wit)
    >>> [c.line for c in corrections(report, locate(report, wit, ref))]
    ['l. 1: Easter → Eastern', 'l. 1: insert ‘,’ after ‘front’', 'l. 2: insert ‘the’ before ‘Soviet’']
    """
    text = report.witness_text
    out = []
    for number, (error, place) in enumerate(zip(report.errors, places), start=1):
        start, end = error.witness_span
        line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before = text[max(line_start, start - LINE_WINDOW) : start]
        after = text[end : min(line_end, end + LINE_WINDOW)]
        parts = correction_parts(error.cls, error.witness, error.reference, before=before, after=after)
        out.append(Correction(number, place.witness, error.cls, error.witness, error.reference, parts))
    return tuple(sorted(out, key=lambda c: (c.place.offset, c.number)))


def _occurrences(line: str, reading: str) -> int:
    """How often ``reading`` stands in ``line`` as itself, not inside a longer word.

    >>> _occurrences("then the other thence the", "the"), _occurrences("a, b, c", ",")
    (2, 2)
    """
    count, at = 0, line.find(reading)
    while at >= 0:
        end = at + len(reading)
        inside = (at > 0 and line[at - 1].isalnum() and reading[0].isalnum()) or (
            end < len(line) and line[end].isalnum() and reading[-1].isalnum())
        count += not inside
        at = line.find(reading, at + 1)
    return count


def to_text(items: Sequence[Correction]) -> str:
    """The corrections as lines of text, one each (``--corrections list.txt``).

    >>> from collate.readers import Position
    >>> print(to_text([Correction(1, Place(Position(1, 14, 3, "", 14), 0), VariantClass.TYPO, "Easter", "Eastern",
    ...                           ("", "Easter", " → ", "Eastern", ""))]), end="")
    l. 14: Easter → Eastern
    """
    return "".join(f"{c.line}\n" for c in items)


def to_csv(items: Sequence[Correction], *, delimiter: str = ",") -> str:
    """The corrections as CSV (or TSV with ``delimiter="\\t"``): ``page,line,column,witness,correction,class``.

    ``page`` is empty where the source has no pages; ``witness`` is the
    witness's reading as it stands (empty for an insertion).

    >>> from collate.readers import Position
    >>> print(to_csv([Correction(1, Place(Position(2, 14, 3, "", 9, page_label="1v"), 0, paged=True), VariantClass.OMISSION,
    ...                          "", "the", ("insert ‘", "the", "’ before ‘", "Soviet", "’"))]), end="")
    page,line,column,witness,correction,class
    1v,14,3,,insert ‘the’ before ‘Soviet’,omission
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["page", "line", "column", "witness", "correction", "class"])
    for c in items:
        at = c.place.at
        page = (at.page_label or str(at.page)) if c.place.paged else ""
        writer.writerow([page, at.line_label or at.line, at.column, c.witness, c.text, c.cls.value])
    return out.getvalue()


def for_path(items: Sequence[Correction], path: str) -> str:
    """The corrections as ``--corrections PATH`` writes them, by the path's extension: CSV for
    ``.csv``, TSV for ``.tsv``, lines of text for anything else (``-``, standard output, too).

    >>> for_path([], "fixes.TSV"), for_path([], "fixes.txt")
    ('page\\tline\\tcolumn\\twitness\\tcorrection\\tclass\\n', '')
    """
    suffix = PurePath(path).suffix.lower()
    if suffix == ".csv":
        return to_csv(items)
    if suffix == ".tsv":
        return to_csv(items, delimiter="\t")
    return to_text(items)
