from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView, TemplateView, View

from benchmarking.charts import bar_chart, nice_step
from benchmarking.forms import ServiceFormMixin
from benchmarking.views import file_response
from checklists.selectors import get_programme_organisation_for_user
from programmes.permissions import can_edit_cluster_planning, can_edit_fact_sheet
from programmes.selectors import get_cluster_for_user, get_programme_organisation_in_cluster

from . import kolada, policy_goals, selectors, services
from .documents import worksheet_xlsx
from .forms import (
    CauseWorksheetForm,
    KpiSearchForm,
    OwnKpiForm,
    ThresholdForm,
    ValuesUploadForm,
    YearValuesForm,
)
from .permissions import can_edit_key_figures
from .values_file import ValuesFileError, read_values_file


def _kpis_url(programme_id, organisation_id):
    return reverse(
        "keyfigures:organisation_kpis",
        kwargs={"programme_pk": programme_id, "organisation_pk": organisation_id},
    )


def _axis(values):
    low = min(0.0, min(values))
    high = max(values) * 1.05 or 1
    step = nice_step(high - low, ticks=6)
    return low, step * -(-high // step), step


def organisations_chart(rows):
    """Women and men in each organisation's latest year with both, for one key figure."""
    rows = [row for row in rows if row.deviation]
    if not rows:
        return None
    values = [float(v) for row in rows for v in (row.deviation.women, row.deviation.men)]
    low, high, step = _axis(values)
    return bar_chart(
        [f"{row.organisation.name} ({row.deviation.year})" for row in rows],
        [
            (_("Women"), [float(row.deviation.women) for row in rows]),
            (_("Men"), [float(row.deviation.men) for row in rows]),
        ],
        low=low,
        high=high,
        step=step,
        missing_text=_("no value"),
    )


def women_men_chart(row):
    """Women and men per year for one key figure (None when there is nothing to draw)."""
    years = [y for y in row.years if y.women is not None or y.men is not None]
    if not years:
        return None
    values = [float(v) for y in years for v in (y.women, y.men) if v is not None]
    low, high, step = _axis(values)
    return bar_chart(
        [str(y.year) for y in years],
        [
            (_("Women"), [float(y.women) if y.women is not None else None for y in years]),
            (_("Men"), [float(y.men) if y.men is not None else None for y in years]),
        ],
        low=low,
        high=high,
        step=step,
        missing_text=_("no value"),
    )


class OrganisationMixin:
    """Loads the programme and organisation from the URL (404 outside the user's clusters)."""

    def load(self, request, programme_pk, organisation_pk):
        self.programme, self.organisation, self.cluster = get_programme_organisation_for_user(
            request.user, programme_pk, organisation_pk
        )
        self.can_edit = can_edit_key_figures(request.user, self.programme, self.organisation)

    def require_edit(self):
        if not self.can_edit:
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programme=self.programme,
            organisation=self.organisation,
            cluster=self.cluster,
            can_edit=self.can_edit,
            **kwargs,
        )

    def get_success_url(self):
        return _kpis_url(self.programme.pk, self.organisation.pk)


class OrganisationKpisView(OrganisationMixin, TemplateView):
    template_name = "keyfigures/organisation_kpis.html"

    def dispatch(self, request, *args, **kwargs):
        self.load(request, kwargs["programme_pk"], kwargs["organisation_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows = selectors.organisation_rows(self.programme, self.organisation)
        for row in rows:
            row.chart = women_men_chart(row)
        search_form, results, search_error = None, None, None
        if self.can_edit:
            search_form = KpiSearchForm(self.request.GET or None)
            if search_form.is_bound and search_form.is_valid():
                try:
                    results = kolada.search_kpis(search_form.cleaned_data["q"])[:50]
                except kolada.KoladaError as error:
                    search_error = str(error)
        chosen = {row.kpi.code for row in rows}
        return super().get_context_data(
            goals=policy_goals.goals() if self.can_edit else (),
            shared=selectors.shared_codes(self.cluster),
            can_share=can_edit_cluster_planning(self.request.user, self.cluster),
            rows=rows,
            search_form=search_form,
            results=results,
            search_error=search_error,
            chosen=chosen,
            **kwargs,
        )


@require_POST
def kpi_add(request, programme_pk, organisation_pk):
    programme, organisation, _cluster = get_programme_organisation_for_user(
        request.user, programme_pk, organisation_pk
    )
    if not can_edit_key_figures(request.user, programme, organisation):
        raise PermissionDenied
    code = request.POST.get("code", "")
    try:
        with transaction.atomic():
            organisation_kpi = services.add_kolada_kpi(
                programme, organisation, code, user=request.user
            )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_kpis_url(programme.pk, organisation.pk))
    messages.success(
        request,
        _("%(kpi)s was added. Fetch its values from Kolada or enter them.")
        % {"kpi": organisation_kpi.kpi},
    )
    return redirect(f"{_kpis_url(programme.pk, organisation.pk)}#kpi-{organisation_kpi.pk}")


class OwnKpiCreateView(OrganisationMixin, ServiceFormMixin, FormView):
    template_name = "keyfigures/own_kpi_form.html"
    form_class = OwnKpiForm

    def dispatch(self, request, *args, **kwargs):
        self.load(request, kwargs["programme_pk"], kwargs["organisation_pk"])
        self.require_edit()
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        return services.add_own_kpi(
            self.programme, self.organisation, user=self.request.user, **form.cleaned_data
        )


class OrganisationKpiMixin:
    """Loads a prioritised key figure (404 outside the user's clusters; 403 to change)."""

    def load_kpi(self, request, pk):
        self.organisation_kpi = _load_kpi_for_change(request, pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation_kpi=self.organisation_kpi, **kwargs)

    def get_success_url(self):
        ok = self.organisation_kpi
        return f"{_kpis_url(ok.programme_id, ok.organisation_id)}#kpi-{ok.pk}"


class ThresholdView(OrganisationKpiMixin, ServiceFormMixin, FormView):
    template_name = "keyfigures/threshold_form.html"
    form_class = ThresholdForm

    def dispatch(self, request, *args, **kwargs):
        self.load_kpi(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        ok = self.organisation_kpi
        return {
            "threshold_kind": ok.threshold_kind,
            "threshold": ok.threshold,
            "motivation": ok.motivation,
        }

    def perform(self, form):
        return services.set_threshold(self.organisation_kpi, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, _("The threshold was saved."))
        return super().get_success_url()


class YearValuesView(OrganisationKpiMixin, ServiceFormMixin, FormView):
    template_name = "keyfigures/values_form.html"
    form_class = YearValuesForm

    def dispatch(self, request, *args, **kwargs):
        self.load_kpi(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.save_year(self.organisation_kpi, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, _("The values were saved."))
        return super().get_success_url()


def _load_kpi_for_change(request, pk):
    organisation_kpi = selectors.get_organisation_kpi_for_user(request.user, pk)
    if not can_edit_key_figures(
        request.user, organisation_kpi.programme, organisation_kpi.organisation
    ):
        raise PermissionDenied
    return organisation_kpi


@require_POST
def kpi_fetch(request, pk):
    organisation_kpi = _load_kpi_for_change(request, pk)
    url = f"{_kpis_url(organisation_kpi.programme_id, organisation_kpi.organisation_id)}#kpi-{pk}"
    try:
        notes = services.fetch_from_kolada(organisation_kpi)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(url)
    messages.success(
        request,
        _("The values of %(kpi)s were fetched from Kolada.") % {"kpi": organisation_kpi.kpi},
    )
    for note in notes:
        messages.warning(request, note)
    return redirect(url)


@require_http_methods(["GET", "POST"])
def kpi_remove(request, pk):
    """Asks first (saying what happens to the values and linked actions), then removes."""
    organisation_kpi = _load_kpi_for_change(request, pk)
    url = _kpis_url(organisation_kpi.programme_id, organisation_kpi.organisation_id)
    if request.method == "GET":
        return render(
            request,
            "keyfigures/kpi_remove.html",
            {
                "organisation_kpi": organisation_kpi,
                "values": selectors.value_count(organisation_kpi),
                "actions": organisation_kpi.improvement_actions.count(),
                "back_url": f"{url}#kpi-{pk}",
            },
        )
    services.remove_kpi(organisation_kpi)
    messages.success(request, _("The key figure was removed from the organisation's list."))
    return redirect(url)


class ValuesUploadView(OrganisationMixin, FormView):
    template_name = "keyfigures/values_upload.html"
    form_class = ValuesUploadForm

    def dispatch(self, request, *args, **kwargs):
        self.load(request, kwargs["programme_pk"], kwargs["organisation_pk"])
        self.require_edit()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        organisation_kpis = [
            row.organisation_kpi
            for row in selectors.organisation_rows(self.programme, self.organisation)
        ]
        try:
            rows = read_values_file(
                form.cleaned_data["file"], {ok.kpi.code for ok in organisation_kpis}
            )
        except ValuesFileError as error:
            for message in error.errors:
                form.add_error("file", message)
            form.add_error(None, _("Nothing from the file was saved. Correct it and try again."))
            return self.form_invalid(form)
        stored = services.import_values(organisation_kpis, rows)
        messages.success(
            self.request, _("%(count)s rows of values were saved.") % {"count": stored}
        )
        return redirect(self.get_success_url())


class ClusterKpisView(TemplateView):
    template_name = "keyfigures/cluster_kpis.html"

    def get_context_data(self, **kwargs):
        cluster = get_cluster_for_user(self.request.user, self.kwargs["pk"])
        kpis = selectors.cluster_kpis(cluster)
        comparisons = selectors.shared_comparison(cluster)
        agreed = {comparison.kpi.pk for comparison in comparisons}
        # Chosen by two or more but not (yet) agreed on as shared.
        shared = [
            (kpi, rows, organisations_chart(rows))
            for kpi, rows in kpis.shared
            if kpi.pk not in agreed
        ]
        return super().get_context_data(
            cluster=cluster,
            kpis=kpis,
            shared=shared,
            comparisons=comparisons,
            # Only asked when there is something to stop sharing.
            can_share=bool(comparisons) and can_edit_cluster_planning(self.request.user, cluster),
            **kwargs,
        )


@require_POST
def fact_sheet_population(request, programme_pk, organisation_pk):
    """Fill the fact sheet's population by sex from Kolada, then back to the form."""
    programme, organisation, _cluster = get_programme_organisation_in_cluster(
        request.user, programme_pk, organisation_pk
    )
    if not can_edit_fact_sheet(request.user, programme, organisation):
        raise PermissionDenied
    url = reverse(
        "programmes:fact_sheet_update",
        kwargs={"programme_pk": programme.pk, "organisation_pk": organisation.pk},
    )
    try:
        sheet = services.fetch_population(programme, organisation, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(url)
    messages.success(
        request,
        _("The population in %(year)s was fetched from Kolada.") % {"year": sheet.population_year},
    )
    return redirect(url)


@require_POST
def kpi_share(request, pk, kpi_pk):
    """Mark a key figure as shared in the cluster (``shared=1``) or not (``shared=0``)."""
    cluster = get_cluster_for_user(request.user, pk)
    if not can_edit_cluster_planning(request.user, cluster):
        raise PermissionDenied
    kpi = selectors.get_shareable_kpi(cluster, kpi_pk)
    shared = request.POST.get("shared") != "0"
    services.set_shared(cluster, kpi, shared=shared, user=request.user)
    if shared:
        messages.success(
            request,
            _("%(kpi)s is now compared across the cluster's organisations.") % {"kpi": kpi},
        )
    else:
        messages.success(request, _("%(kpi)s is no longer shared in the cluster.") % {"kpi": kpi})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("keyfigures:cluster_kpis", kwargs={"pk": cluster.pk})
    return redirect(back)


class CauseWorksheetView(OrganisationKpiMixin, ServiceFormMixin, FormView):
    """The worksheet for finding the causes of a key figure's deviation. Everyone in the
    cluster reads it; the organisation's key person and SKR's project manager write it."""

    template_name = "keyfigures/cause_worksheet.html"
    form_class = CauseWorksheetForm

    def dispatch(self, request, *args, **kwargs):
        self.organisation_kpi = selectors.get_organisation_kpi_for_user(request.user, kwargs["pk"])
        self.can_edit = can_edit_key_figures(
            request.user, self.organisation_kpi.programme, self.organisation_kpi.organisation
        )
        if request.method == "POST" and not self.can_edit:
            raise PermissionDenied
        self.worksheet = selectors.worksheet_of(self.organisation_kpi)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.worksheet}

    def get_context_data(self, **kwargs):
        row = selectors.get_worksheet_row(self.organisation_kpi)
        return super().get_context_data(
            row=row,
            worksheet=self.worksheet,
            can_edit=self.can_edit,
            actions=list(self.organisation_kpi.improvement_actions.all()),
            **kwargs,
        )

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        return services.save_cause_worksheet(
            self.organisation_kpi, user=self.request.user, **fields
        )

    def get_success_url(self):
        messages.success(self.request, _("The worksheet was saved."))
        return reverse("keyfigures:cause_worksheet", kwargs={"pk": self.organisation_kpi.pk})


class CauseWorksheetExportView(View):
    """The worksheet as an Excel file (what people typed stays text, never a formula)."""

    def get(self, request, pk):
        organisation_kpi = selectors.get_organisation_kpi_for_user(request.user, pk)
        worksheet = selectors.worksheet_of(organisation_kpi)
        data = selectors.worksheet_data(selectors.get_worksheet_row(organisation_kpi), worksheet)
        return file_response(worksheet_xlsx(data))
