"""English quantities: number words, counts of a plural noun, fractions and multiples in words.

Sentences are written for these tests in the style of policy briefs; each case
pins one behaviour.  Negatives cover the pronoun, ordinal, name and reference
readings that must stay out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.numbers.assertions import extract
from extractors.numbers.scan import scan_numbers


def _rows(text: str) -> list[tuple[str, float, str | None, str]]:
    return [(a.surface, a.value, a.unit, a.qualifier) for a in extract(text)]


# --------------------------------------------------------------------------- the scanner reads words


@pytest.mark.parametrize(("text", "surface", "value", "kind"), [
    ("The ministry hired twenty inspectors.", "twenty", 20.0, "number"),
    ("Twenty-five agencies signed the memorandum.", "Twenty-five", 25.0, "number"),
    ("It funds two hundred and fifty new posts.", "two hundred and fifty", 250.0, "number"),
    ("Some nineteen hundred firms filed returns.", "nineteen hundred", 1900.0, "number"),
    ("The app reached three million users.", "three million", 3e6, "number"),
    ("It pledged one hundred and twenty-three thousand four hundred and fifty-six euros.",
     "one hundred and twenty-three thousand four hundred and fifty-six", 123456.0, "number"),
    ("Grants reached half a million households.", "half a million", 5e5, "number"),
    ("The plan lasts two and a half years.", "two and a half", 2.5, "number"),
    ("A dozen models were tested.", "A dozen", 12.0, "number"),
    ("Inspectors visited three dozen sites.", "three dozen", 36.0, "number"),
    ("Training needed about one tenth of the computing cost.", "one tenth", 0.1, "fraction"),
    ("A two-thirds majority is required.", "two-thirds", 2 / 3, "fraction"),
    ("A third of the budget went to chips.", "A third", 1 / 3, "fraction"),
    ("Battery prices fell by about a quarter.", "a quarter", 0.25, "fraction"),
    ("Three quarters of the firms agreed.", "Three quarters", 0.75, "fraction"),
    ("Half of the provinces met the target.", "Half", 0.5, "fraction"),
    ("One in five adults uses a chatbot.", "One in five", 0.2, "fraction"),
    ("Sales rose five percent.", "five percent", 0.05, "percent"),
    ("It costs twice as much to run.", "twice", 2.0, "multiplier"),
    ("Exports of servers doubled last year.", "doubled", 2.0, "multiplier"),
    ("The agency plans to triple the budget.", "triple", 3.0, "multiplier"),
])
def test_english_words_scanned(text: str, surface: str, value: float, kind: str) -> None:
    found = [(text[t.start:t.end], t.kind) for t in scan_numbers(text)]
    assert (surface, kind) in found
    [token] = [t for t in scan_numbers(text) if text[t.start:t.end] == surface]
    assert token.value == pytest.approx(value)


@pytest.mark.parametrize(("text", "low", "high"), [
    ("Dozens of startups applied for the grant.", 24.0, 144.0),
    ("Hundreds of officials attended.", 100.0, 1000.0),
    ("Tens of thousands of workers were retrained.", 1e4, 1e5),
])
def test_english_vague_plurals_are_ranges_like_shu_bai(text: str, low: float, high: float) -> None:
    [a] = extract(text)
    assert (a.value, a.value_max, a.qualifier, a.rule_id) == (low, high, "approx", "numbers.vague")


# --------------------------------------------------------------------------- counts of a plural noun


@pytest.mark.parametrize(("text", "surface", "value", "unit", "qualifier"), [
    ("China installed 290,000 industrial robots in 2024.", "290,000 industrial robots", 290000.0, "robots", "exact"),
    ("The pilot now covers 12 provinces.", "12 provinces", 12.0, "provinces", "exact"),
    ("Ten major cloud platforms began to offer the model.", "Ten major cloud platforms", 10.0, "platforms", "exact"),
    ("More than 1,000 Chinese entities were on the list.", "More than 1,000 Chinese entities", 1000.0,
     "entities", "more_than"),
    ("Nearly forty companies joined the alliance.", "Nearly forty companies", 40.0, "companies", "nearly"),
    ("At least ten provinces have issued rules.", "At least ten provinces", 10.0, "provinces", "at_least"),
    ("Fewer than twenty firms passed the audit.", "Fewer than twenty firms", 20.0, "firms", "less_than"),
    ("Licences run for up to five years.", "up to five years", 5.0, "year", "at_most"),
    ("Roughly two hundred engineers were hired.", "Roughly two hundred engineers", 200.0, "engineers", "approx"),
    ("The fund paid three million US dollars.", "three million US dollars", 3e6, "USD", "exact"),
    ("Output grew for 10 consecutive years.", "10 consecutive years", 10.0, "year", "exact"),
    ("The review took about three weeks.", "about three weeks", 3.0, "week", "approx"),
    ("Of the 27 member states, 12 agreed.", "27 member states", 27.0, "states", "exact"),
    ("It needs three times as many tokens.", "three times", 3.0, "x", "exact"),
])
def test_english_counts_and_qualifiers(text: str, surface: str, value: float, unit: str, qualifier: str) -> None:
    assert (surface, pytest.approx(value), unit, qualifier) in _rows(text)


def test_english_range_shares_the_scale_word() -> None:
    [a] = extract("Between two and five million people could be affected.")
    assert (a.value, a.value_max, a.unit, a.qualifier) == (2e6, 5e6, "people", "range")


@pytest.mark.parametrize(("text", "surface", "qualifier"), [
    ("Memory use fell by roughly half.", "roughly half", "approx"),
    ("Median projects are nearly twice the 2021 size.", "nearly twice", "nearly"),
    ("Costs were cut by about a third.", "about a third", "approx"),
])
def test_english_fractions_and_multiples_take_qualifiers(text: str, surface: str, qualifier: str) -> None:
    assert [(a.surface, a.qualifier) for a in extract(text)] == [(surface, qualifier)]


# --------------------------------------------------------------------------- what stays out


@pytest.mark.parametrize("text", [
    "One of the firms left the market.",
    "No one expected the ruling.",
    "One day the rules will change.",
    "On the one hand, costs fell.",
    "A number of regulators objected.",
    "It was a one-off payment.",
    "The first half of 2024 was slow.",
    "The second round of talks ended.",
    "The first two measures cost little.",
    "A third party audits the data.",
    "The Big Ten conference voted.",
    "The ministry meets twice a year.",
    "This is a double standard.",
    "The firms doubled down on chips.",
    "Double-digit growth returned.",
    "A ten-year plan was adopted.",
    "Output fell for two quarters.",
    "Between 2000 and 2020 output grew.",
    "In 2024 regulators fined the platform.",
    "Section 3 provinces are listed separately.",
    "Article 5 applies to all platforms.",
    "See page 4 notes for the method.",
    "Figure 2 shows the trend.",
    "COVID-19 cases rose in the spring.",
    "GPT-4 models are expensive.",
    "H100 chips are scarce.",
    "Officials met at 3 pm yesterday.",
])
def test_english_non_quantities_stay_out(text: str) -> None:
    assert _rows(text) == []


def test_english_word_number_needs_a_unit_or_a_qualifier() -> None:
    assert extract("The committee has ten.") == []
    assert _rows("The committee has about forty.") == [("about forty", 40.0, None, "approx")]


# --------------------------------------------------------------------------- offsets and the shared brief


_WORDS = st.sampled_from(
    ["one", "two", "ten", "twenty", "-", "five", "hundred", "thousand", "million", "and", "a", "half", "third",
     "thirds", "dozen", "dozens", "of", "the", "in", "every", "twice", "doubled", "as", "firms", "major",
     "percent", "%", "about", "more than", "up to", "12", "2,000", "2024", "Section", "times", "One", " ", "\n", ","]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_english_offsets_slice_to_the_surface(text: str) -> None:
    last = 0
    for t in scan_numbers(text):
        assert last <= t.start < t.end <= len(text)
        last = t.end
    for a in extract(text):
        assert text[a.start:a.end] == a.surface


def test_english_brief_quantities(shared_dir: Path) -> None:
    from extractors.document import extract_document

    pdf = shared_dir / "fixtures" / "pdf" / "english_policy_brief.pdf"
    numbers = extract_document(pdf.read_bytes(), source=str(pdf)).numbers
    found = {(n.surface, n.value, n.unit, n.qualifier) for n in numbers}
    for row in [
        ("about one tenth", 0.1, None, "approx"),
        ("three times", 3.0, "x", "exact"),
        ("more than 1,000 Chinese entities", 1000.0, "entities", "more_than"),
        ("more than 100,000 derivative projects", 100000.0, "projects", "more_than"),
        ("ten major cloud platforms", 10.0, "platforms", "exact"),
        ("2.5 billion output tokens", 2.5e9, "tokens", "exact"),
    ]:
        assert row in found
    surfaces = {s for s, *_ in found}
    assert not surfaces & {"2025", "2024", "2018", "2", "3", "1"}  # dates, section and note numbers
