"""English-like prose with known statistics, the source text of synthetic witnesses.

:func:`base_text` writes prose with Zipfian word frequencies over a vocabulary
of real words, names and generated rare words, with sentences, paragraphs,
punctuation and numbers.  Deterministic by ``seed``; standard library only.
"""

from __future__ import annotations

import random
from functools import lru_cache
from itertools import accumulate

FUNCTION_WORDS = (
    "the of and to a in that is was it for on as with by he be at from his this which or had not "
    "are but have an they were their one all we been has there would she so if will no more when who "
    "can its than into only other some these any may our also then them what such upon her made two "
    "after first over those very should most out up about must could being now him time great each "
    "under between before both same whole well where without against during through while because"
).split()

COMMON_WORDS = (
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

WITNESS_WORDS = (
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

NAMES = (
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
    content = list(dict.fromkeys(COMMON_WORDS + WITNESS_WORDS))
    rng.shuffle(content)
    for word in (*FUNCTION_WORDS, *content):
        if word not in seen:
            seen.add(word)
            ranked.append(word)
    while len(ranked) < 40_000:  # a long tail of rare words, as in a book
        word = _pseudo_word(rng)
        if len(word) > 2 and word not in seen:
            seen.add(word)
            ranked.append(word)
    names = list(NAMES)
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
    >>> from collate.testing.score import word_tokens
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
