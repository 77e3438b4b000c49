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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate

from ..model import Alignment, Token, TokenKind, VariantClass, Witness
from ..normalize import americanize, fold_diacritics, orthographic_key
from ..tokenize import tokenize

Origins = tuple[tuple[int, ...], ...]
"""For each word token of a text, the indices of the source word tokens it derives from."""

Truth = Mapping[str, Sequence[tuple[int, ...]]]
"""Siglum -> that witness's :data:`Origins`, all against one common source text."""


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


@dataclass(frozen=True, slots=True)
class Score:
    """Pairwise word-correspondence scores, micro-averaged over witness pairs."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    witness_pairs: int


# --------------------------------------------------------------------------- vocabulary

_FUNCTION = (
    "the of and to a in that is was it for on as with by he be at from his this which or had not "
    "are but have an they were their one all we been has there would she so if will no more when who "
    "can its than into only other some these any may our also then them what such upon her made two "
    "after first over those very should most out up about must could being now him time great each "
    "under between before both same whole well where without against during through while because"
).split()

_COMMON = (
    "government people state country year years day part men way work world life place case power "
    "hand house war matter number order point question public system law fact interest side end "
    "course thing things word words line name force forces city land nation policy party letter "
    "report view views result position meeting council office minister treaty army front peace "
    "agreement proposal conference committee decision plan action attention measure measures support "
    "situation relation relations condition conditions reason development problem purpose effect "
    "history period moment century evening morning night water river road street field ground "
    "question answer account book paper record member members family father mother child children "
    "friend friends master servant king queen lord church court school college village town county "
    "south north east west centre border coast island sea ship ships harbor trade money price "
    "market labor industry business company bank value cost tax duty service power authority "
    "said say says made make makes take taken took give given gave come came go went known know "
    "knew see seen saw think thought find found tell told ask asked seem seemed feel felt leave "
    "left call called keep kept begin began show shown hear heard turn turned bring brought hold "
    "held write written wrote stand stood believe believed remain remained receive received consider "
    "considered agree agreed expect expected follow followed reach reached send sent speak spoke "
    "new old good little long own large small young high low early late certain possible important "
    "general special political military foreign national local common free full clear open strong "
    "whole real true best better different serious necessary present final full private "
    "however therefore perhaps indeed already still again never always often once soon almost "
    "quite rather nearly even just much many few several every another either neither whether "
    "although though since until unless yet thus hence here today together away far further "
    "color honor favor behavior neighbor vigor humor rumor endeavor organization civilization "
    "realize recognize organize authorize emphasize criticize recognized realized organized "
    "center theater meter fiber defense offense program gray traveled catalog dialog "
    "communiqué régime rôle élite détente façade naïve début protégé café"
).split()

_WITNESS = (
    "affording agreed allies almost also amount appears arise arising army ascertained august "
    "autumn base being believe best blow boot bound britain british built calculated calculates "
    "calculating churchill colleagues command communique complicates conditions considered "
    "considers convincing counted crack create creation decision delivers designed deteriorate "
    "difficulties divert down easily easter eastern easy effected england established europe "
    "exchange exist expression fact fascist favorable favourable forces found front fully german "
    "germany government grasp hard harriman hereof high hoped however impair impossible "
    "inasmuch inconsiderable inferior inflict inflicts injures june known last leaving london "
    "major means military minister molotov moral moscow nearly necessary needless negligible "
    "negotiations nothing object offer offers only open opened opening operations opinion "
    "particularly place plan planning plans poorest position possible prejudices president prime "
    "published quality reached readily reason recalled red referring refusal released relief "
    "remaining representative resistance result second seeing serious signed situation sojourn "
    "soviet summer supported thereby therefore think tied troops understood undoubtedly "
    "unfortunately unknown unsuccessful visit withdrawal withdrawn"
).split()

_NAMES = (
    "Churchill Stalin Molotov Harriman Roosevelt London Moscow Europe Britain England Germany "
    "Washington Paris Berlin Africa Russia France America Hopkins Eden Maisky Cadogan Hull "
    "Marshall Kuibyshev Volga Caucasus Leningrad Stalingrad Ottawa Cairo Tehran Mediterranean"
).split()

_ONSETS = ("b", "br", "c", "ch", "cr", "d", "dr", "f", "fl", "g", "gr", "h", "k", "l", "m", "n", "p",
           "pl", "pr", "qu", "r", "s", "sc", "sh", "sl", "st", "t", "th", "tr", "v", "w", "")
_VOWELS = ("a", "e", "i", "o", "u", "ea", "ai", "ou", "io", "ee")
_CODAS = ("", "", "", "", "n", "r", "s", "l", "m", "nt", "st", "rd", "ck", "ng")
_SUFFIXES = ("", "", "", "", "tion", "ment", "ness", "ing", "ed", "ly", "ous", "al", "ity", "er", "ive",
             "ize", "ized", "ization")


def _pseudo_word(rng: random.Random) -> str:
    syllables = rng.choice((1, 2, 2, 2, 3))
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))
    return word + rng.choice(_SUFFIXES)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[float, ...], tuple[str, ...], tuple[float, ...]]:
    """Words in rank order with Zipf-Mandelbrot cumulative weights; the same for names."""
    rng = random.Random(20240917)
    seen: set[str] = set()
    ranked: list[str] = []
    content = list(dict.fromkeys(_COMMON + _WITNESS))
    rng.shuffle(content)
    for word in (*_FUNCTION, *content):
        if word not in seen:
            seen.add(word)
            ranked.append(word)
    while len(ranked) < 40_000:  # a long tail of rare words, as in a book
        word = _pseudo_word(rng)
        if len(word) > 2 and word not in seen:
            seen.add(word)
            ranked.append(word)
    names = list(_NAMES)
    while len(names) < 3_000:
        name = _pseudo_word(rng).capitalize()
        if len(name) > 3 and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    word_weights = tuple(accumulate(1.0 / (rank + 2.7) ** 1.15 for rank in range(len(ranked))))
    name_weights = tuple(accumulate(1.0 / (rank + 1.0) ** 1.1 for rank in range(len(names))))
    return tuple(ranked), word_weights, tuple(names), name_weights


def _number(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.4:
        return str(rng.randint(1850, 1960))
    if choice < 0.7:
        day = rng.randint(1, 31)
        suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{day}{suffix}"
    return str(rng.randint(2, 400))


def base_text(words: int, *, seed: int) -> str:
    """English-like prose of exactly ``words`` word tokens, deterministic by ``seed``.

    Word frequencies follow a Zipf-Mandelbrot law over about 40,000 types: a
    few hundred common English words and the words of the aide-mémoire first,
    then a long tail of generated rare words, so a long text has many
    frequent function words and many words that occur once.  Sentences of
    varied length start with a capital and end with a full stop (sometimes
    ``?`` or ``;``), carry commas, capitalised names and numbers (years,
    ordinal dates), and are grouped into paragraphs separated by blank lines.

    >>> base_text(12, seed=3) == base_text(12, seed=3) != base_text(12, seed=4)
    True
    >>> len(word_tokens(base_text(500, seed=3)))
    500
    """
    if words < 0:
        raise ValueError("words must not be negative")
    rng = random.Random(seed)
    ranked, weights, names, name_weights = _vocabulary()
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences: list[str] = []
        for _ in range(rng.randint(2, 7)):
            if count >= words:
                break
            length = min(words - count, max(3, min(45, int(rng.gauss(19, 9)))))
            parts: list[str] = []
            for position in range(length):
                roll = rng.random()
                if roll < 0.03:
                    item = rng.choices(names, cum_weights=name_weights)[0]
                elif roll < 0.045:
                    item = _number(rng)
                else:
                    item = rng.choices(ranked, cum_weights=weights)[0]
                    if position == 0:
                        item = item[0].upper() + item[1:]
                if position < length - 1 and rng.random() < 0.07:
                    item += rng.choice((",", ",", ",", ";", ":"))
                parts.append(item)
            count += length
            sentences.append(" ".join(parts) + rng.choices((".", "?", "!"), weights=(94, 5, 1))[0])
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


# --------------------------------------------------------------------------- tokens and truth


def word_tokens(text: str) -> tuple[Token, ...]:
    """The word tokens of ``text`` (kinds WORD and NUMBER), in order.

    >>> [t.word for t in word_tokens("In 1942, a front.")]
    ['In', '1942', 'a', 'front']
    """
    return tuple(tok for tok in tokenize(text) if tok.kind in (TokenKind.WORD, TokenKind.NUMBER))


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
_REAL_WORDS = tuple(dict.fromkeys(w for w in (*_FUNCTION, *_COMMON, *_WITNESS) if w.isascii()))


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


# --------------------------------------------------------------------------- scoring


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def correspondence_f1(alignment: Alignment, truth: Truth) -> Score:
    """Pairwise word-correspondence precision, recall and F1 of ``alignment``.

    For every pair of witnesses A, B of the alignment that have an entry in
    ``truth``:

    - the *predicted* pairs are the (i, j) such that some column holds word
      token i of A in A's cell and word token j of B in B's cell
      (punctuation is ignored).  When both cells hold several words, and
      as many each, they pair in order (a run "in the" against "in the");
      otherwise every combination counts ("in the" against "inthe");
    - the *true* pairs are the (i, j) such that ``truth[A][i]`` and
      ``truth[B][j]`` share a source word: words deriving from the same source
      word, a merged word with each of its source words' descendants, both
      halves of a split word with their source word's descendants, a
      substitute with the word it replaced.  Added words have no true pairs.

    True positives, false positives and false negatives are summed over all
    pairs (micro average); precision is 1.0 when nothing is predicted, recall
    1.0 when nothing is true.  A transposition that the aligner shows as an
    omission plus an addition loses the moved word's pair, as it should.
    Merged and split words can keep even a perfect alignment slightly below
    1.0 (a column holding "in the" in one witness and "inthe" in another also
    pairs the "in" of a third witness with nothing but "in", yet when two
    copies split the same word differently the halves' cross pairs are true).
    Tokens are matched to word indices by the character offset of the word in
    the witness text, so any engine's alignment (fast, collatex) can be scored.

    >>> from collate.model import Alignment, Witness
    >>> a, b = Witness("a", "Easter front"), Witness("b", "Eastern front")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> good = Alignment((a, b), (ta, tb), ((ta[:1], tb[:1]), (ta[1:], tb[1:])))
    >>> correspondence_f1(good, {"a": ((0,), (1,)), "b": ((0,), (1,))}).f1
    1.0
    >>> bad = Alignment((a, b), (ta, tb), ((ta[:1], None), (None, tb[:1]), (ta[1:], tb[1:])))
    >>> s = correspondence_f1(bad, {"a": ((0,), (1,)), "b": ((0,), (1,))})
    >>> (s.precision, s.recall, s.false_negatives)
    (1.0, 0.5, 1)
    """
    scored: list[int] = []
    index: list[dict[int, int]] = []
    for w, witness in enumerate(alignment.witnesses):
        offsets = {tok.word_start: i for i, tok in enumerate(word_tokens(witness.text))}
        index.append(offsets)
        if witness.siglum in truth:
            if len(truth[witness.siglum]) != len(offsets):
                raise ValueError(
                    f"truth for {witness.siglum!r} has {len(truth[witness.siglum])} entries"
                    f" but the witness has {len(offsets)} word tokens"
                )
            scored.append(w)
    if len(scored) < 2:
        raise ValueError("truth must cover at least two witnesses of the alignment")
    cells: list[list[tuple[int, ...]]] = []  # per column, per witness: word indices
    for column in alignment.columns:
        row: list[tuple[int, ...]] = []
        for w, cell in enumerate(column):
            if cell is None:
                row.append(())
            else:
                row.append(tuple(index[w][tok.word_start] for tok in cell if tok.word_start in index[w]))
        cells.append(row)
    tp = fp = fn = 0
    pairs = 0
    for x, a in enumerate(scored):
        for b in scored[x + 1 :]:
            pairs += 1
            predicted: set[tuple[int, int]] = set()
            for row in cells:
                if len(row[a]) == len(row[b]):
                    predicted.update(zip(row[a], row[b]))
                else:
                    predicted.update((i, j) for i in row[a] for j in row[b])
            by_source: dict[int, list[int]] = {}
            for j, sources in enumerate(truth[alignment.witnesses[b].siglum]):
                for s in sources:
                    by_source.setdefault(s, []).append(j)
            true = {
                (i, j)
                for i, sources in enumerate(truth[alignment.witnesses[a].siglum])
                for s in sources
                for j in by_source.get(s, ())
            }
            hits = len(predicted & true)
            tp += hits
            fp += len(predicted) - hits
            fn += len(true) - hits
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Score(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        witness_pairs=pairs,
    )
