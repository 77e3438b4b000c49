"""What counts as a word, and typo against substitution as a reader judges it."""

from __future__ import annotations

import pytest

from collate.lexicon import Lexicon, frequencies
from collate.model import VariantClass
from collate.variants import judge_word

T = VariantClass


@pytest.mark.parametrize("word", ["the", "of", "oh", "field", "station", "refuel", "thy", "Easter", "a", "I", "can't"])
def test_words_of_the_language(word: str) -> None:
    assert Lexicon().is_word(word)


@pytest.mark.parametrize("reading", ["tbe", "tt", "lt", "en", "bc", "l", "s", "alt", "thc", "kriow", "rellef", "1s", "18th", "|"])
def test_ocr_debris_and_digits_are_not_words(reading: str) -> None:
    assert not Lexicon().is_word(reading)


def test_the_texts_own_words_are_words() -> None:
    lex = Lexicon.of("Naomi said unto Ruth, Go ye", words=["Elimelech"])
    assert lex.is_word("Naomi") and lex.is_word("ye") and lex.is_word("elimelech")
    assert not lex.is_word("Naorni")


def test_wordfreq_data_is_read_once_and_holds_only_frequent_enough_words() -> None:
    table = frequencies()
    assert frequencies() is table
    assert table["the"] > 7 and min(table.values()) >= 2.5


@pytest.mark.parametrize(
    ("base", "reading", "cls"),
    [
        # not a word, a small edit: a typo, however short
        ("of", "f", T.TYPO), ("As", "Ap", T.TYPO), ("I", "v", T.TYPO), ("I", "|", T.TYPO), ("a", "«", T.TYPO),
        ("my", "rny", T.TYPO), ("known", "kriow", T.TYPO), ("1942", "192", T.TYPO), ("13th", "18th", T.TYPO),
        # a real word: a substitution, unless a one-edit slip of a word of four letters or more
        ("on", "oh", T.SUBSTITUTION), ("held", "field", T.SUBSTITUTION), ("situation", "station", T.SUBSTITUTION),
        ("built", "but", T.SUBSTITUTION), ("Eastern", "Easter", T.TYPO), ("the", "then", T.TYPO),
        ("Army", "Amy", T.TYPO),
        # a garble in which the word can no longer be told
        ("Churchill", "sania", T.SUBSTITUTION), ("of", "val", T.SUBSTITUTION),
        # nothing but marks left of the word
        ("plan", "_", T.OMISSION), ("that", "_—", T.OMISSION),
        # diacritics: an accent dropped is a spelling variant, one added to a word that has none a typo
        ("communiqué", "communique", T.ORTHOGRAPHIC), ("Minister", "Ministér", T.TYPO),
        ("favourable", "favorable", T.ORTHOGRAPHIC),
    ],
)
def test_typo_or_substitution_as_a_reader_judges(base: str, reading: str, cls: VariantClass) -> None:
    assert judge_word(base, reading, Lexicon())[0] is cls


def test_a_typo_carries_its_similarity_and_a_substitution_none() -> None:
    assert judge_word("Eastern", "Easter", Lexicon()) == (T.TYPO, 0.9231)
    assert judge_word("held", "field", Lexicon()) == (T.SUBSTITUTION, None)
