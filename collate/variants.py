"""Variants: the alignment's columns become classified variant locations.

A *location* is a run of columns where the witnesses do not all agree, or
where a fragment's text is lost.  Each witness's reading there is classed
against the *base* reading:

- with ``base="S"``, witness S's reading; where S's text is lost (a
  lacuna), the witness most like S (`base_order`) that is extant serves, so
  the base stays in one text rather than switching word by word;
- with ``base=("S", "T")``, S's reading, else T's, else as above;
- a witness of another family (its metadata's ``family``) never serves while
  one of S's own family is extant there;
- with ``base=None``, the best-attested reading at each place: the reading
  most extant witnesses share, ties going to a non-empty reading and then to
  the witness whose siglum sorts first.

Runs of differing columns are cut into locations so that each says one thing:
columns whose readings join up without spaces form one ``spacing`` location
(inasmuch / in as much) for at least two witnesses; a transposition found by the aligner forms one
location; otherwise neighbouring columns stay together while the same witnesses have
text in them and the same witnesses agree with each other (a two-word
omission is one omission, but an omitted "the" before a misspelt "Eastern"
is two variants); a column that holds only a lost witness's gap mark joins the
lacuna it stands for (``[...]`` against "a second front" is one lacuna).

The classes, tried in this order (`classify`): omission / addition (one side
empty; punctuation alone is ``punctuation``), ``spacing``, ``case``,
``punctuation``, ``orthographic`` (diacritics, British/American spelling),
``transposition`` (same words, another order), ``typo`` (a near match, with its
similarity, or a single word one or two keystrokes away: form/from, thta/that),
else ``substitution``.  A fragment's reading where its text is lost
is ``lacuna``, never an omission.

>>> from collate.align import align
>>> from collate.model import Witness
>>> a = align([Witness("A", "from the Eastern front"), Witness("B", "from Easter front")])
>>> [(loc.base_text, [(r.siglum, r.text, r.cls and r.cls.value) for r in loc.readings]) for loc in find_variants(a, base="A")]
[('the', [('A', 'the', None), ('B', '', 'omission')]), ('Eastern', [('A', 'Eastern', None), ('B', 'Easter', 'typo')])]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from .lexicon import Lexicon
from .losses import loss_runs, losses_of
from .model import Alignment, Cell, Location, Reading, Token, VariantClass, Variants, Witness
from .normalize import americanize, casefold, fold_diacritics, fold_glyphs, orthographic_key, strip_punctuation

TYPO_CUTOFF = 80.0
"""Least RapidFuzz ratio (0-100) between two readings of several words for the witness's to be a typo."""

SMALL_EDIT = 2
"""A reading that is not a word and at most this many edits from the word is a
typo whatever the word's length (``rny`` for ``my``: one OCR confusion, two edits)."""

SLIP_LENGTH = 4
"""A real word one edit off a word this long or longer is a slip (a typo): Easter/Eastern, then/the."""

HYPHENS = frozenset("-\u2010\u2011\u00ad")
def _has_alnum(word: str) -> bool:
    """Whether ``word`` holds a letter or a digit (Unicode categories L and N)."""
    return any(ch.isalnum() for ch in word)
_EDGE_MARKS = ".,;:!?\"'()[]"

SPACING_SPAN = 4
"""Most columns one spacing variant may cover (in as much as / inasmuch as)."""

Key = tuple[str, ...]


def find_variants(alignment: Alignment, *, base: str | Sequence[str] | None = None) -> Variants:
    """Every variant location of ``alignment``, classed against ``base``
    (a siglum, an ordered list of sigla, or None: see the module docstring)."""
    sigla = alignment.sigla
    columns = alignment.columns
    lost = lost_columns(alignment)
    order = None if base is None else tuple(sigla.index(s) for s in _base_order(alignment, base, lost))
    extant = [[w for w in range(len(sigla)) if c not in lost[w]] for c in range(len(columns))]
    lacunose = [frozenset(w for w in range(len(sigla)) if c in lost[w]) for c in range(len(columns))]
    varies = [len({cell_key(columns[c][w]) for w in extant[c]}) > 1 for c in range(len(columns))]
    spans = _spans(alignment, lacunose, varies, extant, order[0] if order else None)
    locations = tuple(_location(alignment, first, last, lost, order) for first, last in spans)
    names = tuple(sigla[w] for w in order) if order else ()
    return Variants(alignment, names[0] if names else None, locations, names)


def base_order(alignment: Alignment, base: str | Sequence[str]) -> tuple[str, ...]:
    """Every witness in the order in which they serve as the base: those
    given first, then the others most like the first given (the share of
    columns where both are extant and read alike), ties by siglum.

    >>> from collate.align import align
    >>> from collate.model import Witness
    >>> al = align([Witness("a", "one two three"), Witness("b", "one two tree"), Witness("c", "one too tree")])
    >>> base_order(al, "b"), base_order(al, ["a", "c"])
    (('b', 'a', 'c'), ('a', 'c', 'b'))
    """
    return _base_order(alignment, base, lost_columns(alignment))


def _base_order(alignment: Alignment, base: str | Sequence[str], lost: list[frozenset[int]]) -> tuple[str, ...]:
    sigla = alignment.sigla
    given = (base,) if isinstance(base, str) else tuple(base)
    for s in given:
        if s not in sigla:
            raise ValueError(f"base {s!r} is not one of the witnesses ({', '.join(sigla)})")
    if not given or len(set(given)) != len(given):
        raise ValueError(f"base must name each witness at most once, and at least one: {', '.join(given)}")
    first = sigla.index(given[0])
    keys = [[cell_key(col[w]) if col[w] else None for col in alignment.columns] for w in range(len(sigla))]

    def likeness(w: int) -> float:
        pairs = [
            (keys[first][c], keys[w][c])
            for c in range(len(alignment.columns))
            if c not in lost[first] and c not in lost[w] and (keys[first][c] is not None or keys[w][c] is not None)
        ]
        return sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0

    rest = sorted((w for w in range(len(sigla)) if sigla[w] not in given), key=lambda w: (-likeness(w), sigla[w]))
    return given + tuple(sigla[w] for w in rest)


def family(witness: Witness) -> str:
    """A witness's family (its translation, recension...), "" if unknown:
    the metadata's ``family``, read so that metadata without one works too.

    >>> family(Witness("a", "text"))
    ''
    """
    value = getattr(witness.meta, "family", "")
    return value if isinstance(value, str) else ""


def cell_key(cell: Cell) -> Key:
    """What a cell reads once normalized; a token the preset folds away
    entirely (a comma under ``punctuation``) reads as nothing.

    >>> from collate.tokenize import tokenize
    >>> cell_key(tokenize("Eastern, front", normalization="punctuation"))
    ('eastern', 'front')
    """
    return tuple(t.n for t in cell if t.n) if cell else ()


def lost_columns(alignment: Alignment) -> list[frozenset[int]]:
    """For each witness, the columns where its text is lost: for each of its
    losses (`collate.model.LostStretch`: stated, marked by a gap mark or
    found by `collate.coverage`), the columns between the words around it.
    A fragment's end counts as lost unless its losses are stated or found;
    a witness that loses nothing has none.

    >>> from collate.align import align
    >>> from collate.model import Completeness, Witness, WitnessMeta
    >>> frag = WitnessMeta(completeness=Completeness.FRAGMENT)
    >>> lost_columns(align([Witness("a", "one two three"), Witness("b", "one", frag)]))
    [frozenset(), frozenset({1, 2})]
    >>> lost_columns(align([Witness("a", "one two three four"), Witness("b", "one [...] four")]))
    [frozenset(), frozenset({1, 2, 3})]
    >>> find_variants(align([Witness("b", "one [...] four")])).locations  # its own gap mark: nothing to class
    ()
    """
    losses = losses_of(alignment.witnesses, alignment.tokens, alignment.losses)
    out: list[frozenset[int]] = []
    for w, wit in enumerate(alignment.witnesses):
        row = alignment.row(w)
        if not any(row):
            out.append(frozenset(range(len(row))) if wit.meta.is_fragment or losses[w] else frozenset())
            continue
        runs = loss_runs(row, wit.text, losses[w]) if losses[w] else ()  # nothing lost: nothing to place
        out.append(frozenset(c for first, last, _ in runs for c in range(first, last + 1)))
    return out


def _spans(
    alignment: Alignment, lacunose: list[frozenset[int]], varies: list[bool], extant: list[list[int]], base: int | None
) -> list[tuple[int, int]]:
    """Cut the interesting columns into locations (see the module docstring)."""
    columns = alignment.columns
    # a column where every witness's text is lost (a lone fragment's gap mark) holds no reading to class
    interesting = [(varies[c] or bool(lacunose[c])) and bool(extant[c]) for c in range(len(columns))]
    moved = _transposition_spans(alignment, base)

    def blank(k: int) -> bool:  # a lost witness's gap mark alone: it joins the lacuna it stands for
        return bool(lacunose[k]) and not any(columns[k][w] for w in extant[k])

    spans: list[tuple[int, int]] = []
    c = 0
    while c < len(columns):
        if not interesting[c]:
            c += 1
            continue
        end = moved.get(c)
        if end is None:
            end = _spacing_end(columns, c, varies, extant, lacunose)
        if end is None:
            end = c
            pattern = None if blank(c) else _pattern(columns[c], extant[c], varies[c])
            while end + 1 < len(columns) and interesting[end + 1] and lacunose[end + 1] == lacunose[c] and end + 1 not in moved:
                if not blank(end + 1):
                    here = _pattern(columns[end + 1], extant[end + 1], varies[end + 1])
                    if pattern is not None and here != pattern:
                        break
                    pattern = here
                end += 1
        spans.append((c, end))
        c = end + 1
    return spans


def _pattern(col: Sequence[Cell], extant: list[int], varies: bool) -> tuple[bool, frozenset[tuple[bool, frozenset[int]]]]:
    """Which witnesses have text, and which agree with which."""
    groups: dict[tuple[bool, Key], set[int]] = {}
    for w in extant:
        groups.setdefault((bool(col[w]), cell_key(col[w]) if varies else ()), set()).add(w)
    return varies, frozenset((has_text, frozenset(g)) for (has_text, _), g in groups.items())


def _transposition_spans(alignment: Alignment, base: int | None) -> dict[int, int]:
    """first column -> last column of each transposition.  Transpositions
    with the base come first; one that overlaps a span already taken is left
    to the ordinary cut."""
    sigla = alignment.sigla
    out: dict[int, int] = {}
    ranked = sorted(alignment.transpositions, key=lambda t: (base is None or sigla[base] not in t.sigla, t.first))
    for tr in ranked:
        if not any(f <= tr.last and tr.first <= l for f, l in out.items()):
            out[tr.first] = tr.last
    return out


def _spacing_end(
    columns: Sequence[Sequence[Cell]], c: int, varies: list[bool], extant: list[list[int]], lacunose: list[frozenset[int]]
) -> int | None:
    """Last column of a spacing variant starting at ``c``, if there is one."""
    if not varies[c]:
        return None
    for end in range(c, min(c + SPACING_SPAN, len(columns))):
        if lacunose[end] != lacunose[c]:
            break
        readings = [r for r in (_tokens(columns, c, end, w) for w in extant[c] if columns[c][w]) if r]
        joined: dict[str, set[int]] = {}
        for r in readings:  # case kept: a case difference is not spacing
            joined.setdefault("".join(t.word for t in r), set()).add(len(r))
        if any(len(splits) > 1 for splits in joined.values()):
            return end
    return None


def _tokens(columns: Sequence[Sequence[Cell]], first: int, last: int, w: int) -> tuple[Token, ...]:
    return tuple(t for c in range(first, last + 1) for t in (columns[c][w] or ()))


def _location(
    alignment: Alignment, first: int, last: int, lost: list[frozenset[int]], order: Sequence[int] | None
) -> Location:
    sigla = alignment.sigla
    count = len(sigla)
    readings = [_tokens(alignment.columns, first, last, w) for w in range(count)]
    keys = [cell_key(r) for r in readings]
    is_lost = [first in lost[w] for w in range(count)]
    if order is None:
        extant = [w for w in range(count) if not is_lost[w]]
        votes = Counter(keys[w] for w in extant)
        base = min(extant, key=lambda w: (-votes[keys[w]], not keys[w], sigla[w]))
    else:
        ready = [w for w in order if not is_lost[w]] or list(order)
        kin = family(alignment.witnesses[order[0]])
        base = next((w for w in ready if kin and family(alignment.witnesses[w]) == kin), ready[0])
    transposed = {
        w
        for tr in alignment.transpositions
        if tr.first <= last and first <= tr.last and sigla[base] in tr.sigla
        for w in (sigla.index(tr.sigla[0]), sigla.index(tr.sigla[1]))
        if w != base
    }
    out: list[Reading] = []
    for w in range(count):
        if is_lost[w]:
            out.append(Reading(sigla[w], (), VariantClass.LACUNA))
        elif keys[w] == keys[base]:
            out.append(Reading(sigla[w], readings[w], None))
        else:
            cls, sim = classify(readings[base], readings[w], transposed=w in transposed)
            out.append(Reading(sigla[w], readings[w], cls, sim))
    return Location(first, last, sigla[base], readings[base], tuple(out))


def _words(tokens: Sequence[Token]) -> list[str]:
    return [t.word for t in tokens]


def _dehyphenated(tokens: Sequence[Token]) -> str | None:
    """The words of ``tokens`` joined, a hyphen at a line end dropped (``Mol-⏎otov``
    reads ``Molotov``); None if no hyphen stands at a line end inside a word."""
    out: list[str] = []
    found = False
    for i, t in enumerate(tokens):
        inside = 0 < i < len(tokens) - 1 and tokens[i - 1].t == tokens[i - 1].word
        if inside and t.word in HYPHENS and "\n" in t.t:
            found = True
            continue
        out.append(t.word)
    return "".join(out) if found else None


def classify(
    base: Sequence[Token], reading: Sequence[Token], *, transposed: bool = False, lexicon: Lexicon | None = None
) -> tuple[VariantClass, float | None]:
    """The class of ``reading`` against ``base`` (which differ), and the
    similarity (0-1) of a typo.  ``lexicon`` says what is a word (`judge_word`);
    by default wordfreq's English words.

    >>> from collate.tokenize import tokenize
    >>> def c(a, b): return classify(tokenize(a), tokenize(b))
    >>> c("Eastern", "Easter")
    (<VariantClass.TYPO: 'typo'>, 0.9231)
    >>> [c(a, b)[0].value for a, b in [("favourable", "favorable"), ("communiqué", "communique"),
    ...     ("inasmuch", "in as much"), ("Command", "command"), ("London,", "London"), ("the", ""),
    ...     ("", "the"), ("forces", "troops"), ("12th August", "August 12th"), ("find", "ﬁnd"),
    ...     ("Molotov", "Mol-\\notov"), ("of", "f"), ("held", "field")]]
    ['orthographic', 'orthographic', 'spacing', 'case', 'punctuation', 'omission', 'addition', 'substitution', 'transposition', 'glyph', 'hyphenation', 'typo', 'substitution']
    """
    wb, ww = _words(base), _words(reading)
    if not ww or not wb:
        other = base if wb else reading
        if all(t.is_punctuation for t in other):
            return VariantClass.PUNCTUATION, None
        return (VariantClass.OMISSION if wb else VariantClass.ADDITION), None
    joined_b, joined_w = "".join(wb), "".join(ww)
    if joined_w == _dehyphenated(base) or joined_b == _dehyphenated(reading):
        return VariantClass.HYPHENATION, None
    if joined_b.casefold() == joined_w.casefold() and len(wb) != len(ww):
        return VariantClass.SPACING, None
    if [w.lower() for w in wb] == [w.lower() for w in ww]:
        return VariantClass.CASE, None
    if fold_glyphs(joined_b).lower() == fold_glyphs(joined_w).lower():
        return VariantClass.GLYPH, None
    content_b = [casefold(fold_glyphs(w)) for t, w in zip(base, wb) if not t.is_punctuation]
    content_w = [casefold(fold_glyphs(w)) for t, w in zip(reading, ww) if not t.is_punctuation]
    if [strip_punctuation(w) for w in content_b] == [strip_punctuation(w) for w in content_w]:
        return VariantClass.PUNCTUATION, None
    ortho_b = [orthographic_key(w) for w in content_b]  # the one orthographic fold (the preset's)
    ortho_w = [orthographic_key(w) for w in content_w]
    if ortho_b == ortho_w:
        return VariantClass.ORTHOGRAPHIC, None
    if "".join(ortho_b) == "".join(ortho_w):
        return VariantClass.SPACING, None
    if transposed or (Counter(ortho_b) == Counter(ortho_w) and len(ortho_b) > 1):
        return VariantClass.TRANSPOSITION, None
    if len(content_b) == 1 and len(content_w) == 1:
        return judge_word(" ".join(wb), " ".join(ww), lexicon or Lexicon())
    if len(content_b) == len(content_w):
        sim = fuzz.ratio(" ".join(content_b), " ".join(content_w))
        if sim >= TYPO_CUTOFF:
            return VariantClass.TYPO, round(sim / 100.0, 4)
    return VariantClass.SUBSTITUTION, None


def judge_word(base: str, reading: str, lexicon: Lexicon) -> tuple[VariantClass, float | None]:
    """Typo or substitution (or orthographic, or omission) for one word read
    as another, as a reader would judge it, with the typo's similarity:

    1. A reading with no letter or digit (``_`` for ``plan``) is an omission,
       the word lost and a mark left in its place; unless it is one edit from
       the word (``|`` for ``I``, ``«`` for ``a``): a misread glyph, a typo.
    2. Diacritics or British/American spelling alone: orthographic, unless the
       reading adds an accent and is not a word (``Ministér``): a typo.
    3. A reading that is a word (`Lexicon.is_word`) is a substitution
       (``field`` for ``held``, ``oh`` for ``on``), except a slip of one edit
       (Damerau-Levenshtein, OSA) from a word of four letters or more
       (``Easter`` for ``Eastern``, ``then`` for ``the``): a typo.
    4. A reading that is not a word is a typo when it is at most two edits
       from the word, or half the word's length rounded up (``tbe``, ``f`` for
       ``of``, ``rny`` for ``my``, ``kriow`` for ``known``); farther off it is
       a garble that no longer shows the word: a substitution (``sania`` for
       ``Churchill``).

    Case is ignored, and so is punctuation around the words.

    >>> lex = Lexicon()
    >>> [judge_word(a, b, lex)[0].value for a, b in [("of", "f"), ("As", "Ap"), ("I", "|"), ("plan", "_"),
    ...     ("on", "oh"), ("Eastern", "Easter"), ("built", "but"), ("known", "kriow"), ("Churchill,", "sania")]]
    ['typo', 'typo', 'typo', 'omission', 'substitution', 'typo', 'substitution', 'typo', 'substitution']
    """
    b, w = _core(base), _core(reading)
    sim = round(fuzz.ratio(b, w) / 100.0, 4)
    distance = OSA.distance(b, w)
    if not _has_alnum(w):
        return (VariantClass.TYPO, sim) if distance <= 1 and w else (VariantClass.OMISSION, None)
    bare_b, bare_w = fold_diacritics(b), fold_diacritics(w)
    if americanize(bare_b) == americanize(bare_w):
        if w == bare_w or lexicon.is_word(w):  # an accent dropped, or another spelling of the word
            return VariantClass.ORTHOGRAPHIC, None
        return VariantClass.TYPO, sim
    slip = distance == 1 and max(len(b), len(w)) >= SLIP_LENGTH
    small = distance <= max(SMALL_EDIT, -(-len(b) // 2))
    if slip or not small:  # the same whether the reading is a word or not
        return (VariantClass.TYPO, sim) if slip else (VariantClass.SUBSTITUTION, None)
    return (VariantClass.SUBSTITUTION, None) if lexicon.is_word(w) else (VariantClass.TYPO, sim)


def _core(word: str) -> str:
    """A word as judged: typographic forms and case folded, the marks around it
    dropped (unless it is nothing but marks)."""
    folded = casefold(fold_glyphs(word))
    core = folded.strip(_EDGE_MARKS)
    return core if _has_alnum(core) else folded


def pairwise_similarity(alignment: Alignment) -> tuple[tuple[float | None, ...], ...]:
    """For each pair of witnesses, the share of columns where both read the same.

    Only columns where at least one of the two has text and neither is in a
    lacuna count; None where the two never overlap.

    >>> from collate.model import Witness
    >>> from collate.tokenize import tokenize
    >>> a, b = Witness("A", "a b c"), Witness("B", "a x c")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> al = Alignment((a, b), (ta, tb), tuple((ta[i:i+1], tb[i:i+1]) for i in range(3)))
    >>> [[round(x, 2) if x is not None else None for x in r] for r in pairwise_similarity(al)]
    [[1.0, 0.67], [0.67, 1.0]]
    """
    n = len(alignment.witnesses)
    lost = lost_columns(alignment)
    keys = [[cell_key(col[w]) if col[w] else None for col in alignment.columns] for w in range(n)]
    out: list[list[float | None]] = [[1.0 if i == j else None for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            same = total = 0
            for c, (ki, kj) in enumerate(zip(keys[i], keys[j])):
                if (ki is None and kj is None) or c in lost[i] or c in lost[j]:
                    continue
                total += 1
                same += ki == kj
            out[i][j] = out[j][i] = same / total if total else None
    return tuple(tuple(r) for r in out)


def class_counts(variants: Variants) -> list[Counter[VariantClass]]:
    """For each witness (in alignment order), how many locations it differs at, per class.

    >>> from collate.align import align
    >>> from collate.model import Witness
    >>> counts = class_counts(find_variants(align([Witness("A", "the Eastern front"), Witness("B", "Easter front")]), base="A"))
    >>> sorted((c.value, n) for c, n in counts[1].items())
    [('omission', 1), ('typo', 1)]
    """
    index = {s: w for w, s in enumerate(variants.alignment.sigla)}
    counts: list[Counter[VariantClass]] = [Counter() for _ in index]
    for loc in variants.locations:
        for r in loc.readings:
            if r.cls is not None:
                counts[index[r.siglum]][r.cls] += 1
    return counts
