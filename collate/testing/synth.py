"""Synthetic witnesses with known truth, for measuring alignment and classification.

Real witnesses never come with an answer key, so quality is measured on
generated ones: :func:`base_text` writes English-like prose (Zipfian word
frequencies over a vocabulary of real words, names and generated rare words,
with sentences, paragraphs, punctuation and numbers), and :func:`noisy_copy`
plants recorded errors in a copy of any text, the way copyists, typists and OCR
engines do.  Every planted edit says where it is in both texts and which
:class:`~collate.model.VariantClass` it should be classified as, and every word
of the noisy text says which source word(s) it derives from.
:func:`correspondence_f1` then scores any :class:`~collate.model.Alignment`
against that truth.

Word tokens
    Throughout this module a *word token* is a token of
    ``collate.tokenize.tokenize(text)`` whose kind is ``WORD`` or ``NUMBER``
    (punctuation and whitespace-only tokens are excluded), and a word token's
    *index* is its position among the word tokens of its text, counting from 0.
    Tokenization does not depend on the normalization preset, only ``n`` does.

Everything is deterministic by ``seed`` and uses only the standard library and
``collate`` itself.

>>> src = base_text(40, seed=1)
>>> len(word_tokens(src))
40
>>> copy = noisy_copy(src, seed=2, rate=0.3)
>>> all(copy.text[e.noisy_span[0]:e.noisy_span[1]] == e.noisy_text for e in copy.edits)
True
>>> len(copy.origins) == len(word_tokens(copy.text))
True
"""

from __future__ import annotations

import difflib
import random
import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..model import Token, VariantClass, Witness
from ..normalize import americanize, fold_diacritics, orthographic_key
from .prose import COMMON_WORDS, FUNCTION_WORDS, WITNESS_WORDS, base_text
from .score import Origins, Score, Truth, correspondence_f1, word_tokens

__all__ = [
    "NoiseKind", "PlantedEdit", "NoisyCopy", "noisy_copy", "witness_set", "identity_origins",
    "base_text", "word_tokens", "correspondence_f1", "Score", "Origins", "Truth",
]


class NoiseKind(StrEnum):
    """The kinds of error :func:`noisy_copy` plants."""

    TYPO = "typo"  # insert, delete, substitute or swap a character
    OCR = "ocr"  # rn/m, l/1, O/0, cl/d, e/c, ...
    OMISSION = "omission"  # a word left out
    ADDITION = "addition"  # a word put in
    SUBSTITUTION = "substitution"  # a word replaced by an unrelated one
    CASE = "case"  # capitalisation changed
    PUNCTUATION = "punctuation"  # a mark changed, removed or added
    MERGE = "merge"  # two words written as one
    SPLIT = "split"  # one word written as two
    SWAP = "swap"  # two adjacent words transposed
    ORTHOGRAPHIC = "orthographic"  # diacritics, British/American spelling

    @property
    def expected(self) -> VariantClass:
        """The variant class an edit of this kind should be classified as.

        >>> NoiseKind.OCR.expected, NoiseKind.MERGE.expected
        (<VariantClass.TYPO: 'typo'>, <VariantClass.SPACING: 'spacing'>)
        """
        return _EXPECTED[self]


_EXPECTED: dict[NoiseKind, VariantClass] = {
    NoiseKind.TYPO: VariantClass.TYPO,
    NoiseKind.OCR: VariantClass.TYPO,
    NoiseKind.OMISSION: VariantClass.OMISSION,
    NoiseKind.ADDITION: VariantClass.ADDITION,
    NoiseKind.SUBSTITUTION: VariantClass.SUBSTITUTION,
    NoiseKind.CASE: VariantClass.CASE,
    NoiseKind.PUNCTUATION: VariantClass.PUNCTUATION,
    NoiseKind.MERGE: VariantClass.SPACING,
    NoiseKind.SPLIT: VariantClass.SPACING,
    NoiseKind.SWAP: VariantClass.TRANSPOSITION,
    NoiseKind.ORTHOGRAPHIC: VariantClass.ORTHOGRAPHIC,
}

ALL: frozenset[NoiseKind] = frozenset(NoiseKind)
"""Every kind of noise."""


@dataclass(frozen=True, slots=True)
class PlantedEdit:
    """One planted error.

    ``source_span`` and ``noisy_span`` are character offsets (end exclusive) into
    the source and the noisy text, and hold ``source_text`` and ``noisy_text``.
    Replacing every edit's source span by its ``noisy_text`` turns the source
    into the noisy text, so the spans cover exactly what changed: an omission's
    source span is the word *and the whitespace after it*, its noisy span is
    empty at the point where the word was; an addition's source span is empty
    at the start of the word it was put before, its noisy text the word and a
    space; a punctuation edit's spans hold only the mark (empty where one was
    added or removed).

    ``source_words`` / ``noisy_words`` are the indices of the word tokens whose
    characters lie in the spans (empty for a punctuation edit, and on the empty
    side of an omission or addition).
    """

    kind: NoiseKind
    expected: VariantClass
    source_span: tuple[int, int]
    noisy_span: tuple[int, int]
    source_text: str
    noisy_text: str
    source_words: tuple[int, ...]
    noisy_words: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class NoisyCopy:
    """A noisy copy of ``source`` and its answer key.

    ``origins[j]`` holds the indices of the source word tokens that word token
    ``j`` of ``text`` derives from: one index for an untouched, mistyped,
    recased, respelled or substituted word (a substitute corresponds to the
    word it replaced); two for two words merged into one; the same index for
    both halves of a split word; the swapped index for transposed words; none
    for an added word.  A source word that was omitted is in nobody's origins.
    """

    source: str
    text: str
    edits: tuple[PlantedEdit, ...]
    origins: Origins



def identity_origins(text: str) -> Origins:
    """The origins of a text against itself: word ``i`` derives from word ``i``.

    >>> identity_origins("Easter front, 192.")
    ((0,), (1,), (2,))
    """
    return tuple((i,) for i in range(len(word_tokens(text))))


# --------------------------------------------------------------------------- noise

_OCR: tuple[tuple[str, str], ...] = (
    ("rn", "m"), ("m", "rn"), ("l", "1"), ("1", "l"), ("O", "0"), ("0", "O"), ("o", "0"),
    ("cl", "d"), ("d", "cl"), ("e", "c"), ("c", "e"), ("vv", "w"), ("w", "vv"), ("li", "h"),
    ("h", "li"), ("I", "l"), ("l", "I"), ("S", "5"), ("B", "8"), ("g", "q"), ("u", "ii"),
    ("n", "ri"), ("f", "t"), ("t", "f"), ("a", "o"), ("i", "l"),
)
_PUNCT_MARKS = ",;:.!?"
_ACCENTED = {
    "communique": "communiqué", "regime": "régime", "role": "rôle", "elite": "élite",
    "detente": "détente", "facade": "façade", "naive": "naïve", "debut": "début",
    "protege": "protégé", "cafe": "café", "cooperate": "coöperate", "cooperation": "coöperation",
    "premiere": "première", "cliche": "cliché", "expose": "exposé", "decor": "décor",
}
_BRITISH = {
    "color": "colour", "colors": "colours", "honor": "honour", "honors": "honours",
    "favor": "favour", "favors": "favours", "favorable": "favourable", "behavior": "behaviour",
    "neighbor": "neighbour", "neighbors": "neighbours", "vigor": "vigour", "humor": "humour",
    "rumor": "rumour", "endeavor": "endeavour", "labor": "labour", "harbor": "harbour",
    "center": "centre", "centers": "centres", "theater": "theatre", "meter": "metre",
    "fiber": "fibre", "defense": "defence", "offense": "offence", "program": "programme",
    "gray": "grey", "traveled": "travelled", "catalog": "catalogue", "dialog": "dialogue",
}
_IZE = (("ization", "isation"), ("izations", "isations"), ("ize", "ise"), ("ized", "ised"),
        ("izes", "ises"), ("izing", "ising"))


_LOOK_AHEAD = 40
_REAL_WORDS = tuple(dict.fromkeys(w for w in (*FUNCTION_WORDS, *COMMON_WORDS, *WITNESS_WORDS) if w.isascii()))


@dataclass(frozen=True, slots=True)
class _Plan:
    kind: NoiseKind
    start: int
    end: int
    replacement: str
    source_words: tuple[int, ...]
    produced: Origins  # origins of the word tokens inside the replacement, in order
    last_word: int  # the last source word index the edit occupies


def _same_case_as(word: str, model: str) -> str:
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _typo(rng: random.Random, word: str) -> str | None:
    if len(word) < 4 or not word.isalpha():
        return None
    for _ in range(8):
        op = rng.randrange(4)
        chars = list(word)
        if op == 0:
            chars.insert(rng.randint(1, len(word) - 1), rng.choice("abcdefghiklmnoprstuy"))
        elif op == 1:
            del chars[rng.randint(1, len(word) - 2)]
        elif op == 2:
            chars[rng.randint(1, len(word) - 1)] = rng.choice("abcdefghiklmnoprstuy")
        else:
            i = rng.randint(1, len(word) - 2)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        new = "".join(chars)
        if new.casefold() != word.casefold() and orthographic_key(new) != orthographic_key(word):
            return new
    return None


def _ocr(rng: random.Random, word: str) -> str | None:
    if len(word) < 4:
        return None
    options = [(i, a, b) for a, b in _OCR for i in range(len(word)) if word.startswith(a, i)]
    rng.shuffle(options)
    for i, a, b in options:
        new = word[:i] + b + word[i + len(a):]
        if re.fullmatch(r"\w+", new) and new.casefold() != word.casefold() and orthographic_key(new) != orthographic_key(word):
            return new
    return None


def _case(rng: random.Random, word: str) -> str | None:
    if not any(ch.isalpha() for ch in word):
        return None
    if len(word) > 1 and word.isupper():
        new = word[0] + word[1:].lower()
    elif word[:1].isupper():
        new = word.lower()
    elif rng.random() < 0.8:
        new = word[:1].upper() + word[1:]
    else:
        new = word.upper()
    return new if new != word else None


def _orthographic(rng: random.Random, word: str) -> str | None:
    if not word.isalpha():
        return None
    lower = word.lower()
    candidates: list[str] = []
    if fold_diacritics(word) != word:
        candidates.append(fold_diacritics(word))
    if lower in _ACCENTED:
        candidates.append(_same_case_as(_ACCENTED[lower], word))
    if americanize(lower) != lower:
        candidates.append(_same_case_as(americanize(lower), word))
    if lower in _BRITISH:
        candidates.append(_same_case_as(_BRITISH[lower], word))
    for american, british in _IZE:
        if lower.endswith(american) and len(lower) >= len(american) + 3 and lower not in ("size", "seize", "prize"):
            candidates.append(_same_case_as(lower[: -len(american)] + british, word))
    good = [c for c in candidates if c != word and orthographic_key(c) == orthographic_key(word)]
    return rng.choice(good) if good else None


def _substitute(rng: random.Random, word: str) -> str | None:
    if not word.isalpha() or len(word) < 2:
        return None
    pool = _REAL_WORDS
    for _ in range(30):
        other = rng.choice(pool)
        if (
            len(other) >= 3
            and other[0].lower() != word[0].lower()
            and difflib.SequenceMatcher(None, other, word.lower(), autojunk=False).ratio() < 0.4
        ):
            return _same_case_as(other, word)
    return None


def _plan(rng: random.Random, kind: NoiseKind, text: str, words: Sequence[Token], k: int) -> _Plan | None:
    tok = words[k]
    word, ws, we = tok.word, tok.word_start, tok.word_end
    nxt = words[k + 1] if k + 1 < len(words) else None
    gap_after = text[we : nxt.word_start] if nxt else text[we:]
    one_word = {
        NoiseKind.TYPO: _typo, NoiseKind.OCR: _ocr, NoiseKind.CASE: _case,
        NoiseKind.ORTHOGRAPHIC: _orthographic, NoiseKind.SUBSTITUTION: _substitute,
    }
    if kind in one_word:
        new = one_word[kind](rng, word)
        return None if new is None else _Plan(kind, ws, we, new, (k,), ((k,),), k)
    if kind is NoiseKind.SPLIT:
        if len(word) < 6 or not word.isalpha():
            return None
        cut = rng.randint(3, len(word) - 3)
        return _Plan(kind, ws, we, word[:cut] + " " + word[cut:], (k,), ((k,), (k,)), k)
    if kind is NoiseKind.OMISSION:
        if nxt is None or not gap_after or not gap_after.isspace():
            return None
        if word.casefold() in (nxt.word.casefold(), words[k - 1].word.casefold() if k else ""):
            return None  # "the the" -> "the": which one went would be ambiguous
        return _Plan(kind, ws, nxt.word_start, "", (k,), (), k)
    if kind is NoiseKind.ADDITION:
        before = words[k - 1].word.casefold() if k else ""
        for _ in range(10):
            new = rng.choice(_REAL_WORDS)
            if new.casefold() not in (before, word.casefold()):
                return _Plan(kind, ws, ws, new + " ", (), ((),), k)
        return None
    if kind is NoiseKind.PUNCTUATION:
        after = text[we + 1 : we + 2]
        if gap_after[:1] in tuple(_PUNCT_MARKS) and (after == "" or after.isspace()):
            mark = gap_after[0]
            if rng.random() < 0.5:
                return _Plan(kind, we, we + 1, "", (), (), k)
            return _Plan(kind, we, we + 1, rng.choice([m for m in _PUNCT_MARKS if m != mark]), (), (), k)
        if nxt is not None and gap_after and gap_after.isspace():
            return _Plan(kind, we, we, rng.choice(",,,;:"), (), (), k)
        return None
    if kind in (NoiseKind.MERGE, NoiseKind.SWAP):
        if nxt is None or not gap_after or gap_after.strip(" ") or not re.fullmatch(r"\w+", word):
            return None
        if not re.fullmatch(r"\w+", nxt.word):
            return None
        if kind is NoiseKind.MERGE:
            return _Plan(kind, ws, nxt.word_end, word + nxt.word, (k, k + 1), ((k, k + 1),), k + 1)
        if word.casefold() == nxt.word.casefold() or (word[:1].isupper() and not nxt.word[:1].isupper()):
            return None
        return _Plan(kind, ws, nxt.word_end, nxt.word + gap_after + word, (k, k + 1), ((k + 1,), (k,)), k + 1)
    raise AssertionError(kind)  # pragma: no cover


def noisy_copy(text: str, *, seed: int, rate: float = 0.05, kinds: Collection[NoiseKind] = ALL) -> NoisyCopy:
    """A copy of ``text`` with errors of the given ``kinds`` planted and recorded.

    Each word token in turn starts an edit with probability ``rate`` (so about
    ``rate`` times the number of words edits are planted, a little fewer since
    edits keep apart); the kind is drawn uniformly from ``kinds`` and placed on
    the first word within the next 40 it applies to, else another kind that
    applies to the word is used.  Edits never overlap and at least one
    untouched word stands between two edits, so each is unambiguous.  A copy
    with ``rate=0`` is the text itself.

    >>> copy = noisy_copy("The organization of a second front in Europe.", seed=0, rate=1.0)
    >>> copy.text
    'The: organization ofa second Front in Euope.'
    >>> [(e.kind.value, e.source_text, e.noisy_text, e.expected.value) for e in copy.edits][1:]
    [('merge', 'of a', 'ofa', 'spacing'), ('case', 'front', 'Front', 'case'), ('typo', 'Europe', 'Euope', 'typo')]
    >>> copy.origins
    ((0,), (1,), (2, 3), (4,), (5,), (6,), (7,))
    >>> noisy_copy("Easter front", seed=0, rate=0.0).text
    'Easter front'
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0 and 1")
    rng = random.Random(seed)
    allowed = sorted(set(kinds), key=lambda kind: kind.value)
    words = word_tokens(text)
    plans: list[_Plan] = []
    k = 0
    while k < len(words):
        if allowed and rng.random() < rate:
            first = rng.choice(allowed)
            others = [kind for kind in allowed if kind is not first]
            rng.shuffle(others)
            # The drawn kind may look a little ahead for a word it applies to
            # (few words have a British spelling), then other kinds are tried here.
            tries = [(first, at) for at in range(k, min(k + _LOOK_AHEAD, len(words)))]
            for kind, at in (*tries, *((kind, k) for kind in others)):
                plan = _plan(rng, kind, text, words, at)
                if plan is not None:
                    plans.append(plan)
                    k = plan.last_word + 2
                    break
            else:
                k += 1
        else:
            k += 1
    return _assemble(text, words, plans)


def _assemble(text: str, words: Sequence[Token], plans: Sequence[_Plan]) -> NoisyCopy:
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    shifts: list[tuple[int, int]] = []  # (noisy offset after an edit, cumulative shift)
    pos = 0
    shift = 0
    for plan in plans:
        pieces.append(text[pos : plan.start])
        nstart = plan.start + shift
        pieces.append(plan.replacement)
        spans.append((nstart, nstart + len(plan.replacement)))
        shift += len(plan.replacement) - (plan.end - plan.start)
        shifts.append((nstart + len(plan.replacement), shift))
        pos = plan.end
    pieces.append(text[pos:])
    noisy = "".join(pieces)
    by_start = {tok.word_start: i for i, tok in enumerate(words)}
    span_starts = [span[0] for span in spans]
    shift_points = [point for point, _ in shifts]
    origins: list[tuple[int, ...]] = []
    inside: list[list[int]] = [[] for _ in plans]
    for j, tok in enumerate(word_tokens(noisy)):
        p = tok.word_start
        e = bisect_right(span_starts, p) - 1
        if e >= 0 and spans[e][0] <= p < spans[e][1]:
            produced = plans[e].produced
            if len(inside[e]) >= len(produced):  # pragma: no cover - a planning bug
                raise AssertionError(f"edit {plans[e]} produced more words than planned")
            origins.append(produced[len(inside[e])])
            inside[e].append(j)
            continue
        s = bisect_right(shift_points, p) - 1
        source_pos = p - (shifts[s][1] if s >= 0 else 0)
        i = by_start.get(source_pos)
        if i is None or words[i].word != tok.word:  # pragma: no cover - a planning bug
            raise AssertionError(f"noisy word {tok.word!r} at {p} has no source word")
        origins.append((i,))
    edits = []
    for plan, span, made in zip(plans, spans, inside):
        if len(made) != len(plan.produced):  # pragma: no cover - a planning bug
            raise AssertionError(f"edit {plan} produced {len(made)} words")
        edits.append(
            PlantedEdit(
                kind=plan.kind,
                expected=plan.kind.expected,
                source_span=(plan.start, plan.end),
                noisy_span=span,
                source_text=text[plan.start : plan.end],
                noisy_text=plan.replacement,
                source_words=plan.source_words,
                noisy_words=tuple(made),
            )
        )
    return NoisyCopy(source=text, text=noisy, edits=tuple(edits), origins=tuple(origins))


def witness_set(
    text: str, *, copies: int, seed: int, rate: float = 0.05, kinds: Collection[NoiseKind] = ALL
) -> tuple[tuple[Witness, ...], dict[str, Origins]]:
    """``text`` as witness ``base`` plus ``copies`` noisy copies ``n1``, ``n2``, ..., and the truth.

    Copy ``i`` is ``noisy_copy(text, seed=seed * 1000 + i, rate=rate, kinds=kinds)``.

    >>> witnesses, truth = witness_set("Easter front in 192.", copies=2, seed=1)
    >>> [w.siglum for w in witnesses], truth["base"]
    (['base', 'n1', 'n2'], ((0,), (1,), (2,), (3,)))
    """
    witnesses = [Witness(siglum="base", text=text)]
    truth: dict[str, Origins] = {"base": identity_origins(text)}
    for i in range(1, copies + 1):
        copy = noisy_copy(text, seed=seed * 1000 + i, rate=rate, kinds=kinds)
        witnesses.append(Witness(siglum=f"n{i}", text=copy.text))
        truth[f"n{i}"] = copy.origins
    return tuple(witnesses), truth
