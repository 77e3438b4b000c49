"""The corrections to make: one line per error, in the witness's reading order, worded so a transcriber can act."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import collate
from collate.model import VariantClass as V
from collate.model import Witness
from collate.render.corrections import correction, corrections


def lines(witness: str, reference: str) -> list[str]:
    result = collate.check(Witness("w", witness), Witness("r", reference))
    return [c.line for c in corrections(result.report, result.places)]


def test_each_kind_of_difference_is_worded_as_what_to_do() -> None:
    assert lines("Soviet Union and the fact", "the Soviet Union and the fact") == ["l. 1: insert \u2018the\u2019 before \u2018Soviet\u2019"]
    assert lines("the Mr. fact", "the fact") == ["l. 1: delete \u2018Mr.\u2019"]
    assert lines("command, As", "Command. As") == [
        "l. 1: command \u2192 Command (capital C)", "l. 1: \u2018,\u2019 \u2192 \u2018.\u2019 after \u2018command\u2019"]
    assert lines("the Mol-\notov plan", "the Molotov plan") == ["l. 1: Mol-\u23ceotov \u2192 Molotov (join the word)"]
    assert lines("a\nb\nthe Easter front", "a\nb\nthe Eastern front") == ["l. 3: Easter \u2192 Eastern"]


def test_a_reading_that_occurs_twice_on_its_line_is_placed_by_its_neighbour() -> None:
    assert lines("the then war and then peace", "the then war and the peace") == [
        "l. 1: then \u2192 the (before \u2018peace\u2019)"]
    # the place given for an insertion is two words where one would not say which
    assert lines("of the war and the peace", "of the war and of the peace") == [
        "l. 1: insert \u2018of\u2019 before \u2018the peace\u2019"]


def test_control_and_bidi_characters_are_shown_not_obeyed_and_line_breaks_are_marks() -> None:
    assert lines("We went to \u202eLondon today.", "We went to Paris today.") == [
        "l. 1: delete \u2018\\u202e\u2019 before \u2018London\u2019", "l. 1: London \u2192 Paris"]
    assert correction(V.ADDITION, "\x1b]52;c;ZXZpbA==\x07", "") == "delete \u2018\u241b]52;c;ZXZpbA==\u2407\u2019"
    assert correction(V.SPACING, "\n", " ", before="front", after="in") == "a line break \u2192 a space between \u2018front\u2019 and \u2018in\u2019"


def test_a_text_without_line_breaks_is_placed_by_the_words_near_each_error() -> None:
    words = " ".join(["the war"] * 2000)
    got = lines(words + " and then peace", words + " and the peace")
    assert got == ["l. 1: then \u2192 the"]  # "then" is unique near it, though the line is 16,000 characters


words_ = st.sampled_from(["the", "Eastern", "Easter", "front", ",", ".", "in", "1942", "192", "\u2019", "Mr.", "\n", "-"])


@settings(max_examples=60, deadline=None)
@given(st.lists(words_, max_size=14).map(" ".join), st.lists(words_, max_size=14).map(" ".join))
def test_every_error_is_one_correction_on_one_line_in_reading_order(witness: str, reference: str) -> None:
    result = collate.check(Witness("w", witness), Witness("r", reference))
    listed = corrections(result.report, result.places)
    assert sorted(c.number for c in listed) == list(range(1, len(result.errors) + 1))
    assert all("\n" not in c.line and c.text for c in listed)
    assert [c.place.offset for c in listed] == sorted(c.place.offset for c in listed)
