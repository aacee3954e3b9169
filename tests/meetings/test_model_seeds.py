"""The meeting model held against SKR's own documents (``/work/shared/seeds``).

Each seed's agenda is transcribed here by hand: start, end and format for the timed example
agendas (001, 004); order and content for the start-up meeting (002), which has no times.
A model item names the seed item it follows (``seed``); any difference between them, a seed
item the model leaves out, or a model item of its own must be listed among the meeting's
``departures``, where the planner reads why.
"""

import pytest

from meetings.model_content import meeting_model

# Seed 001, "Benchmarkingträff 1 – exempel på agenda": (start, end, format) per item.
SEED_001 = [
    ("09:30", "10:00", "fika"),  # Fika
    ("10:00", "10:20", "plenary"),  # Inledning, presentation av deltagare, mentorn berättar
    ("10:20", "11:20", "presentation"),  # Benchmarkingorganisationernas styrkedja (10+10+10)
    ("11:20", "12:00", "presentation"),  # Mentororganisationens styrkedja (20+10+10)
    ("12:00", "13:00", "lunch"),  # Lunch
    ("13:00", "13:30", "role_groups"),  # Nyckelpersoner, chefer, förtroendevalda var för sig
    ("13:30", "14:15", "presentation"),  # Resultat av kompetensinventeringen
    ("14:45", "15:00", "fika"),  # Fika
    ("15:00", "15:40", "reflection"),  # Varje organisation reflekterar och planerar
    ("15:40", "16:00", "plenary"),  # Att tänka på till nästa gång, summering, utvärdering
]

# Seed 004, "Benchmarkingträff 2 – exempel på agenda".
SEED_004 = [
    ("09:30", "10:00", "fika"),  # Kaffe
    ("10:00", "10:40", "plenary"),  # Inledning, rollgrupper vid borden, 5+5 min per organisation
    ("10:40", "11:10", "plenary"),  # Prioriterade nyckeltal i plenum, 10 min per organisation
    ("11:10", "11:15", "break"),  # Kort rast
    ("11:15", "11:45", "role_groups"),  # Diskussion i rollgrupp, redovisning i plenum
    ("11:45", "12:15", "presentation"),  # Värdens/mentorns system och rutiner (10+10+10)
    ("12:15", "13:15", "lunch"),  # Lunch
    ("13:15", "13:45", "presentation"),  # Benchmarkingorganisationernas system och rutiner
    ("13:45", "14:30", "small_groups"),  # Valfri gruppindelning, reflektioner, redovisning
    ("14:30", "14:45", "fika"),  # Kaffe
    ("14:45", "15:30", "reflection"),  # Varje organisation reflekterar och planerar
    ("15:30", "16:00", "plenary"),  # Återsamling, redovisning, summering, utvärdering
]

# Seed 002, "The Start-up Meeting": the proposed agenda and the cluster part, in order, each
# with words its content must carry (in the model's English text).
SEED_002 = [
    ["what do we want to achieve", "gender equality policy", "societal challenges"],
    ["what is benchmarking", "checklist for gender mainstreaming", "how it is used"],
    ["systematic quality improvement"],
    ["practical information", "planning", "roles", "expectations"],
    ["discussion in groups", "by role", "elected official", "key person", "by organisation"],
    ["mentor organisation", "what did we learn", "improvements"],
    ["lecture", "common gender inequality problems", "tried and tested solutions"],
    ["present themselves", "common template"],
    ["organise the improvement work at home", "steering committee", "other forums"],
    ["practical matters", "three benchmarking meetings"],
]


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _meeting(kind: str) -> dict:
    return meeting_model()["meetings"][kind]


def _departing(meeting: dict) -> tuple[set, set]:
    items = {key for d in meeting["departures"] for key in d["items"]}
    seed_items = {ref for d in meeting["departures"] for ref in d["seed_items"]}
    return items, seed_items


def _timed_differences(kind: str, seed: list[tuple[str, str, str]]) -> list[str]:
    """Every difference between the model's agenda and a timed seed agenda that the model
    does not record as a departure."""
    meeting = _meeting(kind)
    departing, omitted = _departing(meeting)
    problems = []
    by_seed = {}
    for item in meeting["agenda"]:
        if item["seed"] is None:
            if item["key"] not in departing:
                problems.append(f"{item['key']} is not in the seed and not a departure")
            continue
        by_seed.setdefault(item["seed"], []).append(item)
    for start, end, fmt in seed:
        found = by_seed.pop(start, [])
        if not found:
            if start not in omitted:
                problems.append(f"seed item {start}–{end} is missing and not a departure")
            continue
        for item in found:
            actual = (
                item["start"],
                _clock(_minutes(item["start"]) + item["duration"]),
                item["format"],
            )
            if actual != (start, end, fmt) and item["key"] not in departing:
                problems.append(f"{item['key']}: {actual} differs from the seed {start, end, fmt}")
    problems += [f"{ref}: names a seed item that does not exist" for ref in by_seed]
    # The order: model items that follow the seed keep the seed's order.
    order = [item["seed"] for item in meeting["agenda"] if item["seed"] is not None]
    if order != sorted(order, key=_minutes):
        problems.append(f"the order differs from the seed: {order}")
    # The agenda's own times follow from its durations (no overlaps, no gaps).
    clock = _minutes(meeting["agenda"][0]["start"])
    for item in meeting["agenda"]:
        if _minutes(item["start"]) != clock:
            problems.append(f"{item['key']} starts at {item['start']}, not at {_clock(clock)}")
        clock = _minutes(item["start"]) + item["duration"]
    return problems


def test_benchmarking_1_follows_seed_001():
    assert _timed_differences("benchmarking_1", SEED_001) == []


def test_benchmarking_2_follows_seed_004():
    assert _timed_differences("benchmarking_2", SEED_004) == []


def test_startup_follows_seed_002_in_order_and_content():
    meeting = _meeting("startup")
    departing, omitted = _departing(meeting)
    followed = [item for item in meeting["agenda"] if item["seed"] is not None]
    own = [item["key"] for item in meeting["agenda"] if item["seed"] is None]

    missing = [
        (number, words)
        for number, words in enumerate(SEED_002, start=1)
        if number not in {item["seed"] for item in followed} and number not in omitted
    ]
    wrong_content = [
        (item["key"], word)
        for item in followed
        for word in SEED_002[item["seed"] - 1]
        if word not in _english(item).lower()
    ]

    assert [item["seed"] for item in followed] == list(range(1, len(SEED_002) + 1))
    assert missing == []
    assert wrong_content == []
    assert [key for key in own if key not in departing] == []


def _english(item: dict) -> str:
    per = item.get("per_organisation", {})
    return " ".join(
        [
            item["title"]["en"],
            item.get("notes", {}).get("en", ""),
            per.get("title", {}).get("en", ""),
        ]
    )


def test_the_test_notices_an_unrecorded_difference(monkeypatch):
    """A model item moved by five minutes without a departure fails the seed test."""
    model = meeting_model()
    b1 = dict(model["meetings"]["benchmarking_1"])
    agenda = [dict(item) for item in b1["agenda"]]
    agenda[1]["duration"] += 5  # the introduction now ends 10:25
    b1["agenda"] = agenda
    changed = {**model, "meetings": {**model["meetings"], "benchmarking_1": b1}}
    monkeypatch.setitem(globals(), "meeting_model", lambda: changed)

    problems = _timed_differences("benchmarking_1", SEED_001)

    assert "b1.introduction: ('10:00', '10:25', 'plenary') differs" in " ".join(problems)


@pytest.mark.parametrize("kind", ["startup", "benchmarking_1", "benchmarking_2", "benchmarking_3"])
def test_every_meeting_has_departures_questions_materials_in_both_languages(kind):
    meeting = _meeting(kind)
    texts = [d["text"] for d in meeting["departures"]] + meeting["questions"]
    texts += [m["title"] for m in meeting["materials"]]

    assert meeting["departures"] and meeting["questions"] and meeting["materials"]
    assert [t for t in texts if not (t["sv"].strip() and t["en"].strip())] == []
    assert {m["for"] for m in meeting["materials"]} == {"participants", "organiser"}


def test_every_day_runs_from_half_past_nine_to_four():
    for kind, meeting in meeting_model()["meetings"].items():
        start = _minutes(meeting["agenda"][0]["start"])
        end = sum(item["duration"] for item in meeting["agenda"]) + start
        assert (kind, _clock(start), _clock(end)) == (kind, "09:30", "16:00")


def test_seed_wording_the_product_had_lost_is_back():
    """The points issue 13 found missing, by meeting."""
    model = meeting_model()["meetings"]

    def text(kind):
        meeting = model[kind]
        parts = [meeting["purpose"]["sv"], *meeting["outcomes"]["sv"]]
        parts += [p["text"]["sv"] for p in meeting["preparations"]]
        parts += [q["sv"] for q in meeting["questions"]]
        parts += [i["title"]["sv"] for i in meeting["agenda"]]
        parts += [m["title"]["sv"] for m in meeting["materials"]]
        return " ".join(parts)

    assert "kvinnor, män, flickor och pojkar" in text("benchmarking_1")
    assert "Att tänka på till nästa gång" in text("benchmarking_1")
    assert "systematiskt erfarenhetsutbyte" in text("benchmarking_1")
    assert "kopplade till organisationens mål" in text("benchmarking_2")
    for words in ("omedvetna föreställningar", "riskbedömningen", "Kan ni ta beslut kring vissa"):
        assert words in text("benchmarking_2")
    assert "omotiverade skillnader" in text("benchmarking_2")
    for words in ("sedan förra träffen", "specifikt verksamhetsområde", "fler verksamheter"):
        assert words in text("benchmarking_3")
    assert "Röster om manlighet" in text("benchmarking_3")
    for words in ("intressenter", "förstår sina uppdrag", "jämställdhetspolitiska", "styrgrupp"):
        assert words in text("startup")


def test_reference_cluster_gets_the_seed_times_from_its_slots():
    """For one mentor and two benchmarking organisations the per-organisation items fill the
    seed's blocks exactly."""
    reference = meeting_model()["reference_cluster"]
    for meeting in meeting_model()["meetings"].values():
        for item in meeting["agenda"]:
            per = item.get("per_organisation")
            if not per:
                continue
            count = reference["benchmarking_organisations"] + (
                reference["mentor"] if per["organisations"] == "all" else 0
            )
            intro = per.get("intro", {}).get("duration", 0)
            assert (item["key"], intro + count * sum(per["minutes"])) == (
                item["key"],
                item["duration"],
            )
