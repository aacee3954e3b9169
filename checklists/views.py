from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from benchmarking.charts import bar_chart
from benchmarking.forms import ServiceFormMixin
from benchmarking.freshness import cached_content
from benchmarking.views import file_response
from plans.permissions import can_edit_plan
from programmes.permissions import is_project_manager
from programmes.selectors import cluster_of, get_cluster_for_user, get_programme_for_manager

from . import selectors, services
from .documents.workbooks import (
    AssessmentWorkbookError,
    assessment_workbook,
    cluster_results_workbook,
    organisation_results_workbook,
    read_assessment_workbook,
)
from .forms import AnswerForm, ChecklistUploadForm, RoundForm, WorkbookUploadForm, level_choices
from .models import COMMENT_MAX_LENGTH
from .permissions import (
    can_contribute,
    can_manage_checklists,
    can_see_answers,
    can_start,
    can_submit,
)

# --- checklist versions (SKR) ---------------------------------------------------------------


class ChecklistManagerMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_manage_checklists(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class VersionListView(ChecklistManagerMixin, TemplateView):
    template_name = "checklists/version_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(versions=selectors.checklist_versions(), **kwargs)


class VersionUploadView(ChecklistManagerMixin, ServiceFormMixin, FormView):
    template_name = "checklists/version_upload.html"
    form_class = ChecklistUploadForm

    def perform(self, form):
        return services.import_checklist(
            form.cleaned_data["file"], name=form.cleaned_data["name"], user=self.request.user
        )

    def get_success_url(self):
        messages.success(
            self.request,
            _("The checklist “%(name)s” was imported: %(count)s statements.")
            % {"name": self.result.name, "count": self.result.statements.count()},
        )
        return self.result.get_absolute_url()


class VersionDetailView(TemplateView):
    template_name = "checklists/version_detail.html"

    def get_context_data(self, **kwargs):
        version = selectors.get_version_for_manager(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            version=version,
            sections=version.sections.prefetch_related("statements"),
            levels=version.levels.all(),
            **kwargs,
        )


@require_POST
def version_delete(request, pk):
    version = selectors.get_version_for_manager(request.user, pk)
    try:
        services.delete_version(version)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(version.get_absolute_url())
    messages.success(request, _("The checklist version was deleted."))
    return redirect("checklists:version_list")


# --- rounds and the programme's results (SKR) -----------------------------------------------


class ProgrammeResultsView(TemplateView):
    template_name = "checklists/programme_results.html"

    def get_context_data(self, **kwargs):
        programme = get_programme_for_manager(self.request.user, self.kwargs["pk"])

        def draw():
            rounds, clusters, submitted = selectors.programme_results(programme)
            context = {
                "programme": programme,
                "rounds": rounds,
                "clusters": clusters,
                "submitted": submitted,
                "has_versions": selectors.checklist_versions().exists(),
            }
            return context, None

        # The same for every project manager of the programme: drawn once per change of data.
        content = cached_content(self.template_name, (programme.pk,), draw)
        return super().get_context_data(programme=programme, content=content, **kwargs)


class RoundFormView(ServiceFormMixin, FormView):
    """Create a round (programme ``pk``) or change one (``round_pk``)."""

    template_name = "checklists/round_form.html"
    form_class = RoundForm

    def dispatch(self, request, *args, **kwargs):
        if "round_pk" in kwargs:
            self.instance = selectors.get_round_for_manager(request.user, kwargs["round_pk"])
            self.programme = self.instance.programme
        else:
            self.instance = None
            self.programme = get_programme_for_manager(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, round=self.instance, **kwargs)

    def perform(self, form):
        return services.save_round(
            programme=self.programme, instance=self.instance, **form.cleaned_data
        )

    def get_success_url(self):
        messages.success(self.request, _("The round was saved."))
        return reverse("checklists:programme_results", kwargs={"pk": self.programme.pk})


# --- results for everyone in a cluster --------------------------------------------------------


def _chart(results_areas, overall, series_names, scale):
    categories = [row.area.label for row in results_areas] + [_("Overall")]
    series = []
    for index, name in enumerate(series_names):
        values = [row.scores[index].mean if row.scores[index] else None for row in results_areas]
        values.append(overall[index].mean if overall[index] else None)
        series.append((name, values))
    return bar_chart(
        categories, series, low=scale.low, high=scale.high, missing_text=_("not submitted")
    )


class ClusterResultsView(TemplateView):
    template_name = "checklists/cluster_results.html"

    def get_context_data(self, **kwargs):
        cluster = get_cluster_for_user(self.request.user, self.kwargs["pk"], prefetch=False)
        try:
            asked = int(self.request.GET.get("round", ""))
        except ValueError:
            asked = None
        # Only a round of the programme becomes part of the cache key: any other value shows
        # the latest round, and cannot fill the cache with a copy per value.
        round_pk = (
            cluster.programme.assessment_rounds.filter(pk=asked)
            .values_list("pk", flat=True)
            .first()
            if asked is not None and abs(asked) < 2**63
            else None
        )
        can_manage = is_project_manager(self.request.user, cluster.programme)

        def draw():
            results = selectors.cluster_results(cluster, round_pk)
            chart = None
            if results.round and any(c.counts for c in results.columns):
                chart = _chart(
                    results.areas,
                    results.overall,
                    [c.organisation.name for c in results.columns],
                    results.scale,
                )
            context = {
                "cluster": cluster,
                "results": results,
                "chart": chart,
                "can_manage": can_manage,
            }
            return context, None

        # The same for everyone in the cluster (one variant for SKR): drawn once per change.
        content = cached_content(self.template_name, (cluster.pk, round_pk, can_manage), draw)
        return super().get_context_data(cluster=cluster, content=content, **kwargs)


def cluster_results_xlsx(request, pk):
    cluster = get_cluster_for_user(request.user, pk)
    return file_response(cluster_results_workbook(cluster, selectors.cluster_export(cluster)))


class OrganisationResultsView(TemplateView):
    template_name = "checklists/organisation_results.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme, organisation, cluster = selectors.get_programme_organisation_for_user(
            user, self.kwargs["programme_pk"], self.kwargs["organisation_pk"]
        )
        results = selectors.organisation_results(programme, organisation)
        counted = [r for r in results.rounds if r.counts]
        chart = None
        if counted:
            indexes = [results.rounds.index(r) for r in counted]
            chart = _chart(
                [
                    type(row)(row.area, [row.scores[i] for i in indexes], row.movement)
                    for row in results.areas
                ],
                [results.overall[i] for i in indexes],
                [r.round.name for r in counted],
                results.scale,
            )
        return super().get_context_data(
            programme=programme,
            organisation=organisation,
            cluster=cluster,
            results=results,
            chart=chart,
            may_start=can_start(user, programme, organisation),
            **kwargs,
        )


def organisation_results_xlsx(request, programme_pk, organisation_pk):
    programme, organisation, _cluster = selectors.get_programme_organisation_for_user(
        request.user, programme_pk, organisation_pk
    )
    results = selectors.organisation_results(programme, organisation)
    return file_response(
        organisation_results_workbook(results, selectors.answers_by_round(results))
    )


# --- one organisation's self-assessment in a round ----------------------------------------------


class RoundOrganisationView(TemplateView):
    """The organisation's self-assessment in a round; before it is started, a start button."""

    template_name = "checklists/assessment_start.html"

    def get(self, request, *args, **kwargs):
        self.round = selectors.get_round_for_user(request.user, kwargs["round_pk"])
        self.programme, self.organisation, self.cluster = (
            selectors.get_programme_organisation_for_user(
                request.user, self.round.programme_id, kwargs["organisation_pk"]
            )
        )
        self.existing = self.round.assessments.filter(organisation=self.organisation).first()
        if self.existing is not None and can_see_answers(request.user, self.existing):
            return redirect(self.existing)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            round=self.round,
            organisation=self.organisation,
            cluster=self.cluster,
            previous=services.previous_assessment(self.round, self.organisation),
            may_start=can_start(self.request.user, self.programme, self.organisation),
            in_progress=self.existing is not None,
            **kwargs,
        )


@require_POST
def assessment_start(request, round_pk, organisation_pk):
    round_ = selectors.get_round_for_user(request.user, round_pk)
    programme, organisation, _cluster = selectors.get_programme_organisation_for_user(
        request.user, round_.programme_id, organisation_pk
    )
    if not can_start(request.user, programme, organisation):
        raise PermissionDenied
    with transaction.atomic():
        assessment = services.start_assessment(round_, organisation, user=request.user)
    return redirect(assessment)


def _attach_inputs(page, editable: bool) -> None:
    """Give each statement row what the page writes its inputs with.

    ``key`` is the statement's pk as text (template ids and links; an int would go through
    number formatting each time). When editable, ``level_options`` are the level radios as
    (value, label, checked, id): the page writes the inputs of its one form per statement as
    plain markup, the same as AnswerForm renders them, since its widget templates, per radio
    per statement, were most of the page's cost. AnswerForm still validates what is posted.
    """
    choices = [(str(value), str(label)) for value, label in level_choices(page.levels)]
    for block in page.blocks:
        for row in block.rows:
            row.key = str(row.statement.pk)
            if not editable:
                continue
            level = row.answer.level if row.answer else None
            current = "" if level is None else str(level)
            row.level_options = [
                (value, label, value == current, f"id_s{row.key}_level_{index}")
                for index, (value, label) in enumerate(choices)
            ]


class AssessmentDetailView(TemplateView):
    template_name = "checklists/assessment_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        assessment = selectors.get_assessment_for_user(user, self.kwargs["pk"])
        if not can_see_answers(user, assessment):
            raise PermissionDenied
        contributor = can_contribute(user, assessment)
        may_submit = can_submit(user, assessment)
        can_plan = can_edit_plan(user, assessment.round.programme, assessment.organisation)

        def draw():
            page = selectors.assessment_page(assessment)
            editable = contributor and not assessment.is_submitted
            _attach_inputs(page, editable)
            cluster = cluster_of(assessment.round.programme_id, assessment.organisation_id)
            context = {
                "assessment": assessment,
                "cluster": cluster,
                "page": page,
                "editable": editable,
                "contributor": contributor,
                "may_submit": may_submit,
                "can_plan": can_plan,
                "upload_form": WorkbookUploadForm() if editable else None,
                "comment_max_length": COMMENT_MAX_LENGTH,
            }
            return context, None

        # The same for everyone with the same rights over it: drawn once per change of data.
        parts = (assessment.pk, contributor, may_submit, can_plan)
        content = cached_content(self.template_name, parts, draw, request=self.request)
        return super().get_context_data(assessment=assessment, content=content, **kwargs)


def _load_for_change(request, pk):
    assessment = selectors.get_assessment_for_user(request.user, pk)
    if not can_contribute(request.user, assessment):
        raise PermissionDenied
    return assessment


@require_POST
def answer_save(request, pk, statement):
    """Save one statement's answer (htmx: as it changes; without JavaScript: its Save button)."""
    assessment = _load_for_change(request, pk)
    statement = selectors.get_statement_for(assessment, statement)
    levels = selectors.scale_levels(assessment)
    form = AnswerForm(request.POST, levels=levels, statement=statement)
    error = None
    if form.is_valid():
        try:
            with transaction.atomic():
                services.save_answer(assessment, statement, user=request.user, **form.cleaned_data)
        except ValidationError as failure:
            error = failure.messages[0]
    else:
        error = " ".join(message for errors in form.errors.values() for message in errors)
    if request.htmx:
        return render(
            request,
            "checklists/_answer_saved.html",
            {
                "statement": statement,
                "error": error,
                "progress": selectors.progress(assessment),
                "section": statement.section,
                "section_score": selectors.section_score(assessment, statement.section),
            },
        )
    if error:
        messages.error(
            request,
            _("Statement %(number)s was not saved: %(error)s")
            % {"number": statement.number, "error": error},
        )
    else:
        messages.success(
            request, _("Statement %(number)s was saved.") % {"number": statement.number}
        )
    return redirect(f"{assessment.get_absolute_url()}#statement-{statement.pk}")


@require_POST
def assessment_submit(request, pk):
    assessment = selectors.get_assessment_for_user(request.user, pk)
    if not can_submit(request.user, assessment):
        raise PermissionDenied
    try:
        with transaction.atomic():
            services.submit_assessment(
                assessment,
                user=request.user,
                confirm_carried=request.POST.get("confirm_carried") == "on",
            )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The self-assessment was submitted. The cluster can now see its results."),
        )
    return redirect(assessment)


@require_POST
def assessment_reopen(request, pk):
    assessment = selectors.get_assessment_for_user(request.user, pk)
    if not can_submit(request.user, assessment):
        raise PermissionDenied
    with transaction.atomic():
        services.reopen_assessment(assessment, user=request.user)
    messages.success(request, _("The self-assessment is open for changes again."))
    return redirect(assessment)


def assessment_xlsx(request, pk):
    assessment = selectors.get_assessment_for_user(request.user, pk)
    if not can_see_answers(request.user, assessment):
        raise PermissionDenied
    return file_response(assessment_workbook(assessment, selectors.assessment_page(assessment)))


class AssessmentUploadView(FormView):
    template_name = "checklists/assessment_upload.html"
    form_class = WorkbookUploadForm

    def dispatch(self, request, *args, **kwargs):
        self.assessment = _load_for_change(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(assessment=self.assessment, **kwargs)

    def form_valid(self, form):
        assessment = self.assessment
        try:
            answers = read_assessment_workbook(
                form.cleaned_data["file"],
                assessment,
                selectors.statement_ids(assessment),
                selectors.scale_levels(assessment),
            )
            with transaction.atomic():
                changed = services.apply_workbook_answers(
                    assessment, answers, user=self.request.user
                )
        except AssessmentWorkbookError as error:
            for message in error.errors:
                form.add_error("file", message)
            form.add_error(
                None, _("Nothing from the file was saved. Correct it and upload it again.")
            )
            return self.form_invalid(form)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The workbook was read: %(count)s answers changed.") % {"count": changed},
        )
        return redirect(assessment)
