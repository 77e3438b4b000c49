"""Tokens: lossless, with exact offsets, words apart from punctuation."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.model import TokenKind
from collate.normalize import PRESETS
from collate.tokenize import GAP_MARKS, retokenize, tokenize


@settings(max_examples=300)
@given(st.text())
def test_tokens_concatenate_to_the_text_exactly(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(t.t for t in tokens) == text


@settings(max_examples=200)
@given(st.text(), st.sampled_from(list(PRESETS)))
def test_every_token_knows_its_offsets(text: str, preset: str) -> None:
    tokens = tokenize(text, normalization=preset)
    pos = 0
    for tok in tokens:
        assert tok.start == pos
        assert text[tok.start : tok.end] == tok.t
        assert text[tok.word_start : tok.word_end] == tok.word
        pos = tok.end
    assert pos == len(text)


def test_words_and_punctuation_are_separate_tokens() -> None:
    tokens = tokenize("(Signed) I .STALIN.")
    assert [t.word for t in tokens] == ["(", "Signed", ")", "I", ".", "STALIN", "."]
    assert [t.kind for t in tokens][:3] == [TokenKind.PUNCTUATION, TokenKind.WORD, TokenKind.PUNCTUATION]


def test_inner_hyphens_and_apostrophes_stay_in_the_word() -> None:
    words = [t.word for t in tokenize("Molotov's pre-decided Anglo-Soviet 12th")]
    assert words == ["Molotov's", "pre-decided", "Anglo-Soviet", "12th"]
    assert tokenize("192")[0].kind is TokenKind.NUMBER


def test_trailing_whitespace_belongs_to_the_token() -> None:
    assert [t.t for t in tokenize("in as  much\n\nAs")] == ["in ", "as  ", "much\n\n", "As"]


def test_leading_whitespace_goes_with_the_first_token() -> None:
    first = tokenize("\n  AIDE-MEMORIE")[0]
    assert (first.t, first.word, first.start, first.word_start) == ("\n  AIDE-MEMORIE", "AIDE-MEMORIE", 0, 3)


def test_normalized_form_is_nfc_and_follows_the_preset() -> None:
    decomposed = "communique\u0301"
    tok = tokenize(decomposed)[0]
    assert tok.t == decomposed  # the original is kept as it is
    assert tok.n == unicodedata.normalize("NFC", decomposed)
    assert tokenize(decomposed, normalization="orthographic")[0].n == "communique"
    assert tokenize("Favourable", normalization="case")[0].n == "favourable"


def test_whitespace_only_text_is_kept_in_one_token() -> None:
    (tok,) = tokenize(" \n ")
    assert tok.t == " \n " and tok.kind is TokenKind.SPACE


def test_retokenize_changes_only_the_normalized_form() -> None:
    tokens = tokenize("The Eastern, Front")
    again = retokenize(tokens, normalization="punctuation")
    assert [t.t for t in again] == [t.t for t in tokens]
    assert [t.n for t in again] == ["the", "eastern", "", "front"]


@settings(max_examples=400)
@given(st.text())
def test_the_fast_pattern_cuts_any_text_as_the_unicode_pattern_would(text: str) -> None:
    from collate.tokenize import _pattern, _slow

    for marks in ((), GAP_MARKS):
        assert _pattern(text, marks).findall(text) == _slow(marks).findall(text)


WORDLIKE = st.characters(blacklist_categories=("Cs", "Cn", "No", "Cf", "Cc"))


@settings(max_examples=400)
@given(st.text(WORDLIKE) | st.text(st.sampled_from("abc é\u0301\u0308.,;’'-‐ \n\t\u05d0\u0591\u0915\u094d\u0937")))
def test_ordinary_text_is_cut_the_same_by_both_patterns(text: str) -> None:
    from collate.tokenize import _pattern, _slow

    for marks in ((), GAP_MARKS):
        assert _pattern(text, marks).findall(text) == _slow(marks).findall(text)


def test_a_text_with_a_character_the_fast_pattern_cannot_cut_exactly_takes_the_unicode_pattern() -> None:
    from collate.tokenize import _pattern, _slow

    assert _pattern("plain text, é\u0301", GAP_MARKS) is not _slow(GAP_MARKS)
    for tricky in ("x\u200dy", "\U0001f1eb\U0001f1f7", "\u1100\u1161", "a\u00b2", "\u0600x", "a\u001cb"):
        assert _pattern(tricky, GAP_MARKS) is _slow(GAP_MARKS), repr(tricky)


def test_a_long_single_line_is_cut_in_one_pass() -> None:
    line = "In the beginning God created the heaven and the earth, " * 20_000  # about 1.1 MB, no newline
    tokens = tokenize(line)
    assert len(tokens) == 11 * 20_000 and "".join(t.t for t in tokens) == line
    assert tokens[-1].end == len(line)


# --- editorial gap marks -------------------------------------------------------


def test_each_gap_mark_is_one_gap_token_never_text() -> None:
    from collate.tokenize import GAP_MARKS

    for mark in GAP_MARKS:
        tokens = tokenize(f"front {mark} in 1942")
        assert [t.kind for t in tokens] == [TokenKind.WORD, TokenKind.GAP, TokenKind.WORD, TokenKind.NUMBER], mark
        assert tokens[1].word == mark and tokens[1].n == "…"


def test_gap_marks_are_matched_whatever_their_case_and_only_whole() -> None:
    assert [t.kind for t in tokenize("[GAP] [Illegible]")] == [TokenKind.GAP, TokenKind.GAP]
    assert [t.word for t in tokenize("....")] == ["...", "."]
    assert [t.kind for t in tokenize("[gaps]")] == [TokenKind.PUNCTUATION, TokenKind.WORD, TokenKind.PUNCTUATION]


def test_gap_marks_are_configurable_by_keyword() -> None:
    from collate.tokenize import GAP_MARKS

    assert [t.kind for t in tokenize("a ... b", gap_marks=())] == [TokenKind.WORD] + [TokenKind.PUNCTUATION] * 3 + [TokenKind.WORD]
    more = tokenize("a [damaged] b", gap_marks=GAP_MARKS + ("[damaged]",))
    assert [t.kind for t in more] == [TokenKind.WORD, TokenKind.GAP, TokenKind.WORD]
    with pytest.raises(ValueError, match="begins with a letter"):
        tokenize("a gap b", gap_marks=("gap",))


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["word", " ", "...", "[", "]", "<", ">", "…", "gap", "?", ".", "\n"])).map("".join))
def test_gap_marks_keep_tokens_lossless(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(t.t for t in tokens) == text
    assert all(text[t.word_start : t.word_end] == t.word for t in tokens)


def test_shape_counts_words_and_gap_marks_as_tokenize_does() -> None:
    from collate.tokenize import shape

    texts = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent.parent / "witnesses").glob("*.txt"))]
    texts += ["l'homme d'affaires — Anglo-Soviet, 1942 ... ", "[gap] Eastern front", "as follows... and", "no marks here"]
    for text in texts:
        tokens = tokenize(text)
        words = sum(t.kind in (TokenKind.WORD, TokenKind.NUMBER) for t in tokens)
        assert shape(text) == (words, any(t.is_gap for t in tokens)), text[:40]
        assert shape(text, gap_marks=())[1] is False
