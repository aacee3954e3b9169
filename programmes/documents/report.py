"""The programme report as PDF: where every cluster stands, for SKR's steering group."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarking.numbers import mean_of
from benchmarking.pdf import PDF, render_pdf


@dataclass
class RoundSummary:
    round: object
    submitted: int
    organisations: int
    # the mean of the submitted organisations' overall levels, and per cluster
    mean: float | None
    clusters: dict


def _exact(score) -> Decimal | None:
    return Decimal(score.level_sum) / score.answered if score and score.answered else None


def round_summaries(programme, overview) -> list[RoundSummary]:
    from checklists.selectors import programme_results

    rounds, rows, _submitted = programme_results(programme)
    shown = {row.cluster.pk for row in overview.clusters}
    summaries = []
    for index, assessment_round in enumerate(rounds):
        by_cluster, everyone, submitted, organisations = {}, [], 0, 0
        for row in rows:
            if row.cluster.pk not in shown:
                continue
            cells = [cells[index] for _o, _m, cells, _move in row.organisations]
            means = [_exact(score) for _assessment, score in cells]
            by_cluster[row.cluster.pk] = mean_of(means)
            everyone += means
            submitted += sum(1 for a, _score in cells if a is not None and a.is_submitted)
            organisations += len(row.organisations)
        summaries.append(
            RoundSummary(assessment_round, submitted, organisations, mean_of(everyone), by_cluster)
        )
    return summaries


def programme_report_pdf(programme, overview) -> tuple[str, str, bytes]:
    from meetings.evaluations import programme_results

    evaluation = programme_results(programme)
    rounds = round_summaries(programme, overview)
    clusters = [
        (row, [(summary.round, summary.clusters.get(row.cluster.pk)) for summary in rounds])
        for row in overview.clusters
    ]
    content = render_pdf(
        "programmes/programme_report_pdf.html",
        {
            "programme": programme,
            "overview": overview,
            "totals": overview.totals,
            "evaluation": evaluation,
            "rounds": rounds,
            "clusters": clusters,
            "generated": timezone.localtime(),
        },
    )
    prefix = slugify(_("programme report"))
    name = f"{prefix}-{slugify(programme.name)}"
    return f"{name}-{timezone.localdate():%Y-%m-%d}.pdf", PDF, content
