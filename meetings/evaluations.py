"""The built-in evaluation after each meeting: questions, answers and results.

The questions live in ``fixtures/evaluation.json``; answers are kept by question key, so
the same question can be compared across meetings and clusters.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from benchmarking.numbers import mean_of, percent

from .enums import Attendance, MeetingKind
from .models import EvaluationAnswer, Meeting, Registration
from .models.evaluation import valid_rating

QUESTIONS_FILE = Path(settings.BASE_DIR) / "fixtures" / "evaluation.json"


@cache
def evaluation_model() -> dict:
    return json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))


@dataclass
class Question:
    key: str
    text: str


def questions() -> list[Question]:
    language = "en" if translation.get_language() == "en" else "sv"
    return [Question(q["key"], q["text"][language]) for q in evaluation_model()["questions"]]


def uses_built_in_form(meeting: Meeting) -> bool:
    return not meeting.cluster.programme.evaluation_form_url


def evaluation_open(meeting: Meeting, now=None) -> bool:
    now = now or timezone.now()
    return meeting.ends_at is not None and meeting.ends_at <= now


def evaluated_registrations(meeting: Meeting):
    """Who is asked to evaluate: everyone invited except those who said they would not come."""
    return meeting.registrations.exclude(attendance=Attendance.NOT_ATTENDING)


@transaction.atomic
def submit(registration: Registration, *, ratings: dict[str, int], comment: str):
    if not evaluation_open(registration.meeting):
        raise ValidationError(_("The evaluation opens when the meeting has ended."))
    if registration.attendance == Attendance.NOT_ATTENDING:
        raise ValidationError(_("You said you would not attend, so there is nothing to evaluate."))
    try:
        with transaction.atomic():
            return EvaluationAnswer.objects.create(
                registration=registration,
                ratings=ratings,
                comment=comment,
                questions_version=evaluation_model()["version"],
            )
    except IntegrityError as error:
        raise ValidationError(_("You have already evaluated this meeting. Thank you!")) from error


@dataclass
class MeetingResult:
    meeting: Meeting
    asked: int = 0
    answered: int = 0
    means: list[tuple[Question, float | None]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    missing: list[Registration] = field(default_factory=list)

    @property
    def response_rate(self) -> int | None:
        return percent(self.answered, self.asked)


@dataclass
class ProgrammeResults:
    questions: list[Question]
    meetings: list[MeetingResult]
    # per question, its mean over every cluster's answers at each of the four meetings
    trend: list[tuple[Question, list[float | None]]]
    kinds: list[tuple[str, str]]
    # per cluster, its mean for each question over all its evaluated meetings
    clusters: list[tuple[str, list[float | None]]]


def programme_results(programme) -> ProgrammeResults:
    """Response rates, means per question and who has not answered, for every meeting whose
    evaluation has opened; and each question's trend over the four meetings. Four queries."""
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(cluster__programme=programme, ends_at__lte=now)
        .select_related("cluster")
        .order_by("sequence", "cluster__name")
    )
    registrations = (
        Registration.objects.filter(meeting__in=meetings)
        .exclude(attendance=Attendance.NOT_ATTENDING)
        .select_related("person", "organisation", "evaluation")
        .order_by("person__full_name")
    )
    by_meeting: dict[int, list[Registration]] = defaultdict(list)
    for registration in registrations:
        by_meeting[registration.meeting_id].append(registration)
    asked = questions()
    keys = [q.key for q in asked]
    results, per_kind = [], defaultdict(lambda: defaultdict(list))
    per_cluster = defaultdict(lambda: defaultdict(list))
    for meeting in meetings:
        result = MeetingResult(meeting=meeting)
        ratings = defaultdict(list)
        comments = []
        for registration in by_meeting[meeting.pk]:
            result.asked += 1
            answer = getattr(registration, "evaluation", None)
            if answer is None:
                result.missing.append(registration)
                continue
            result.answered += 1
            if answer.comment:
                comments.append((answer.answered_at, answer.comment))
            for key in keys:
                if valid_rating(answer.ratings.get(key)):
                    ratings[key].append(answer.ratings[key])
                    per_kind[key][meeting.kind].append(answer.ratings[key])
                    per_cluster[meeting.cluster.name][key].append(answer.ratings[key])
        # In the order they came, not by name: a comment must not point to its author.
        result.comments = [comment for _at, comment in sorted(comments, key=lambda c: c[0])]
        result.means = [(q, mean_of(ratings[q.key])) for q in asked]
        results.append(result)
    trend = [
        (
            q,
            [mean_of(per_kind[q.key][kind]) for kind in MeetingKind.values],
        )
        for q in asked
    ]
    clusters = [
        (name, [mean_of(values[q.key]) for q in asked])
        for name, values in sorted(per_cluster.items())
    ]
    return ProgrammeResults(asked, results, trend, list(MeetingKind.choices), clusters)
