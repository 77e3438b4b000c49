"""Losses: one model for a lost start, a lost end, a gap mark and a stretch found uncovered."""

import pytest

from collate.align import align
from collate.errors import CollateError
from collate.losses import declared_losses, loss_runs
from collate.model import Completeness, Lost, LossOrigin, LostStretch, Witness, WitnessMeta
from collate.tokenize import GAP_MARKS, tokenize
from collate.variants import lost_columns

FULL = Witness("a", "one two three four five six seven eight")


def lost_words(w: Witness, other: Witness = FULL) -> list[str]:
    """The other witness's words in the columns where ``w`` is lost."""
    al = align([other, w])
    lost = lost_columns(al)[1]
    return [t.word for c in sorted(lost) for t in al.columns[c][0] or ()]


@pytest.mark.parametrize("mark", GAP_MARKS)
def test_every_gap_mark_is_a_lacuna_of_the_text_between_its_neighbours(mark: str) -> None:
    assert lost_words(Witness("b", f"one two {mark} six seven eight")) == ["three", "four", "five"]


def test_a_leading_or_trailing_mark_means_the_text_goes_on() -> None:
    assert lost_words(Witness("b", "... three four five six")) == ["one", "two"]  # its end is not lost: "seven eight" omitted
    assert lost_words(Witness("b", "one two three four five six ...")) == ["seven", "eight"]
    assert lost_words(Witness("b", "… three four five six seven eight")) == ["one", "two"]


def test_a_stated_loss_inside_the_text_is_a_lacuna_there() -> None:
    meta = WitnessMeta(lost=(LostStretch(None, after="two"),))
    assert lost_words(Witness("b", "one two six seven eight", meta)) == ["three", "four", "five"]
    by_offset = WitnessMeta(lost=(LostStretch(8),))
    assert lost_words(Witness("b", "one two six seven eight", by_offset)) == ["three", "four", "five"]


def test_the_same_gap_without_a_loss_is_omitted_text() -> None:
    assert lost_words(Witness("b", "one two six seven eight")) == []


def test_a_fragment_that_states_nothing_has_its_losses_found() -> None:
    frag = WitnessMeta(completeness=Completeness.FRAGMENT)
    assert lost_words(Witness("b", "four five six", frag)) == ["one", "two", "three", "seven", "eight"]


def test_loss_runs_give_each_loss_its_columns() -> None:
    al = align([FULL, Witness("b", "one [gap] four five ... eight")])
    losses = al.losses[1]
    assert [loss.origin for loss in losses] == [LossOrigin.MARKED, LossOrigin.MARKED]
    runs = loss_runs(al.row(1), al.witnesses[1].text, losses)
    words = [[t.word for c in range(f, l + 1) for t in al.columns[c][0] or ()] for f, l, _ in runs]
    assert words == [["two", "three"], ["six", "seven"]]


def test_gap_marks_alone_are_refused() -> None:
    for text in ("[...]", "<...> …", "[illegible]."):
        w = Witness("b", text, path="b.txt")
        with pytest.raises(CollateError, match="b.txt: the witness holds gap marks and no words"):
            declared_losses(w, tokenize(w.text))


def test_a_loss_past_the_end_of_the_text_is_refused() -> None:
    w = Witness("b", "one two", WitnessMeta(lost=(LostStretch(99),)), path="b.txt")
    with pytest.raises(CollateError, match="past the end of the text"):
        align([FULL, w])


def test_a_loss_after_words_the_text_lacks_is_refused() -> None:
    w = Witness("b", "one two", WitnessMeta(lost=(LostStretch(Lost.END, after="nine ten"),)), path="b.txt")
    with pytest.raises(CollateError, match="does not occur"):
        align([FULL, w])
    twice = Witness("b", "one two one two", WitnessMeta(lost=(LostStretch(None, after="two"),)), path="b.txt")
    with pytest.raises(CollateError, match="occurs 2 times"):
        align([FULL, twice])
