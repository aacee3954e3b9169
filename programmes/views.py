from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, TemplateView, View

from benchmarking.forms import ServiceFormMixin
from benchmarking.freshness import cached_content, next_midnight
from benchmarking.views import file_response
from meetings.selectors import overdue_tasks

from . import selectors, services
from .enums import ROLE_ACCESS, Role
from .forms import (
    ClusterAddOrganisationForm,
    ClusterCreateForm,
    FactSheetForm,
    InvitePersonForm,
    OrganisationCreateForm,
    OrganisationDescriptionForm,
    OrganisationForm,
    PersonForm,
)
from .permissions import (
    can_edit_cluster_planning,
    can_edit_fact_sheet,
    can_edit_organisation,
    can_manage_programme,
    manages_organisation,
)


class HomeView(TemplateView):
    template_name = "programmes/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            overviews=selectors.home_overview(user),
            upcoming_meetings=selectors.upcoming_meetings(user),
            **kwargs,
        )


class ClusterDetailView(TemplateView):
    template_name = "programmes/cluster_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        cluster = selectors.get_cluster_for_user(user, self.kwargs["pk"], prefetch=False)
        can_manage = can_manage_programme(user, cluster.programme)
        can_plan = can_edit_cluster_planning(user, cluster)

        def draw():
            selectors.prefetch_cluster(cluster)
            context = {
                "cluster": cluster,
                "people": selectors.people_by_organisation(cluster),
                "meetings": cluster.meetings.all(),
                "overdue_tasks": overdue_tasks(cluster),
                "can_manage": can_manage,
                "can_plan": can_plan,
            }
            return context, next_midnight(timezone.now())  # tasks become overdue by the day

        # The same for everyone in the cluster with the same rights: drawn once per change.
        parts = (cluster.pk, can_manage, can_plan)
        content = cached_content(self.template_name, parts, draw, request=self.request)
        return super().get_context_data(cluster=cluster, content=content, **kwargs)


class OrganisationDetailView(TemplateView):
    template_name = "programmes/organisation_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organisation = selectors.get_organisation_for_user(user, self.kwargs["pk"])
        return super().get_context_data(
            organisation=organisation,
            clusters=selectors.organisation_clusters(organisation, user),
            people=selectors.organisation_people(organisation, user),
            can_edit=can_edit_organisation(user, organisation),
            **kwargs,
        )


class OrganisationUpdateView(ServiceFormMixin, FormView):
    template_name = "programmes/organisation_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.organisation = selectors.get_organisation_for_user(request.user, kwargs["pk"])
        if not can_edit_organisation(request.user, self.organisation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        if manages_organisation(self.request.user, self.organisation):
            return OrganisationForm
        return OrganisationDescriptionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.organisation}

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def perform(self, form):
        # The form validated on a copy; write through the service so rules live in one place.
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        self.organisation.refresh_from_db()
        return services.update_organisation(self.organisation, **fields)

    def get_success_url(self):
        messages.success(self.request, _("The organisation's description was saved."))
        return self.organisation.get_absolute_url()


class ProgrammeMixin:
    """Loads the programme from the URL; only its SKR project managers get further."""

    def dispatch(self, request, *args, **kwargs):
        self.programme = selectors.get_programme_for_manager(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)

    def get_success_url(self):
        return reverse("programmes:programme_manage", kwargs={"pk": self.programme.pk})


class ProgrammeManageView(ProgrammeMixin, TemplateView):
    template_name = "programmes/programme_manage.html"

    def get_context_data(self, **kwargs):
        clusters = selectors.home_overview_clusters(self.programme)
        cluster_of = {
            membership.organisation_id: cluster
            for cluster in clusters
            for membership in cluster.memberships.all()
        }
        chosen = _chosen(self.request, clusters)
        people = selectors.programme_people(self.programme)
        for assignment in people:
            assignment.cluster = cluster_of.get(assignment.organisation_id)
        if chosen is not None:
            people = [a for a in people if a.cluster == chosen]
        return super().get_context_data(
            clusters=clusters, people=people, chosen_cluster=chosen, **kwargs
        )


def _chosen(request, clusters):
    """The cluster named by ``?cluster=`` if it is one of these, else None (everyone)."""
    wanted = request.GET.get("cluster", "")
    return next((c for c in clusters if str(c.pk) == wanted), None)


def _status_filter(request) -> str:
    from .overview import MeetingStatus

    status = request.GET.get("status", "")
    return status if status in MeetingStatus.LABELS else ""


class ProgrammeOverviewView(ProgrammeMixin, TemplateView):
    """SKR's view of every cluster at a glance, filterable by meeting status; the same data
    as a timeline of all meetings."""

    template_name = "programmes/programme_overview.html"
    timeline = False

    def get_template_names(self):
        return ["programmes/programme_timeline.html" if self.timeline else self.template_name]

    def get_context_data(self, **kwargs):
        status = _status_filter(self.request)
        programme = self.programme

        def draw():
            from .overview import MeetingStatus, programme_overview

            overview = programme_overview(programme, status=status)
            context = {
                "programme": programme,
                "overview": overview,
                "status": status,
                "statuses": list(MeetingStatus.LABELS.items()),
            }
            return context, overview.valid_until

        # The same for every project manager of the programme: drawn once per change of data.
        template = self.get_template_names()[0]
        content = cached_content(template, (programme.pk, status), draw)
        return super().get_context_data(content=content, **kwargs)


class ProgrammeOverviewExportView(ProgrammeMixin, View):
    """The overview as Excel (filtered as on the page: the file name says by what), or the
    programme report as PDF (always the whole programme)."""

    document = "xlsx"

    def get(self, request, *args, **kwargs):
        from .documents.report import programme_report_pdf
        from .documents.workbooks import overview_xlsx
        from .overview import programme_overview

        if self.document == "pdf":  # the whole programme, whatever the page is filtered by
            return file_response(
                programme_report_pdf(self.programme, programme_overview(self.programme))
            )
        overview = programme_overview(self.programme, status=_status_filter(request))
        return file_response(overview_xlsx(overview))


class ProgrammeParticipantsExportView(ProgrammeMixin, View):
    def get(self, request, *args, **kwargs):
        from .documents.workbooks import participants_xlsx
        from .overview import participant_rows

        return file_response(participants_xlsx(self.programme, participant_rows(self.programme)))


class ClusterCreateView(ProgrammeMixin, ServiceFormMixin, FormView):
    template_name = "programmes/cluster_form.html"
    form_class = ClusterCreateForm

    def get_form_kwargs(self):
        available = selectors.organisations_without_cluster(self.programme)
        return {**super().get_form_kwargs(), "available": available}

    def perform(self, form):
        return services.create_cluster(programme=self.programme, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, _("The cluster was created with its four meetings."))
        return self.result.get_absolute_url()


class OrganisationCreateView(ProgrammeMixin, ServiceFormMixin, FormView):
    template_name = "programmes/organisation_create.html"
    form_class = OrganisationCreateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "clusters": self.programme.clusters.all()}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.create_organisation(cluster=data.pop("cluster"), **data)

    def get_success_url(self):
        messages.success(self.request, _("The organisation was added."))
        return self.result.get_absolute_url()


class ClusterAddOrganisationView(ServiceFormMixin, FormView):
    template_name = "programmes/cluster_add_organisation.html"
    form_class = ClusterAddOrganisationForm

    def dispatch(self, request, *args, **kwargs):
        self.cluster = selectors.get_cluster_for_user(request.user, kwargs["pk"])
        if not can_manage_programme(request.user, self.cluster.programme):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        available = selectors.organisations_without_cluster(self.cluster.programme)
        return {**super().get_form_kwargs(), "available": available}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cluster=self.cluster, **kwargs)

    def perform(self, form):
        services.add_organisation_to_cluster(
            cluster=self.cluster, organisation=form.cleaned_data["organisation"]
        )

    def get_success_url(self):
        messages.success(self.request, _("The organisation joined the cluster."))
        return self.cluster.get_absolute_url()


class PersonInviteView(ProgrammeMixin, ServiceFormMixin, FormView):
    template_name = "programmes/person_invite.html"
    form_class = InvitePersonForm

    def get_initial(self):
        initial = super().get_initial()
        organisation_id = self.request.GET.get("organisation")
        if organisation_id and organisation_id.isdigit():
            initial["organisation"] = int(organisation_id)
        return initial

    def get_form_kwargs(self):
        organisations = selectors.programme_organisations(self.programme)
        if self.cluster is not None:
            organisations = organisations.filter(cluster_memberships__cluster=self.cluster)
        return {**super().get_form_kwargs(), "organisations": organisations}

    @cached_property
    def cluster(self):
        """Invited from a cluster's page (``?cluster=``): its organisations are offered."""
        return _chosen(self.request, list(self.programme.clusters.all()))

    def get_context_data(self, **kwargs):
        role_access = [(Role(role).label, text) for role, text in ROLE_ACCESS.items()]
        return super().get_context_data(role_access=role_access, cluster=self.cluster, **kwargs)

    def perform(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "confirm_project_manager"}
        return services.invite_person(
            programme=self.programme, invited_by=self.request.user, **fields
        )

    def get_success_url(self):
        messages.success(
            self.request,
            _("%(person)s was invited and will get a login link by e-mail.")
            % {"person": self.result.person},
        )
        if self.cluster is not None:
            return self.cluster.get_absolute_url()
        return super().get_success_url()


class AssignmentHandOverView(ServiceFormMixin, FormView):
    template_name = "programmes/assignment_hand_over.html"
    form_class = PersonForm

    def dispatch(self, request, *args, **kwargs):
        self.assignment = selectors.get_assignment_for_manager(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, **kwargs)

    def perform(self, form):
        return services.hand_over_assignment(
            self.assignment, handed_over_by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        messages.success(
            self.request,
            _("The role was handed over to %(person)s.") % {"person": self.result.person},
        )
        return self.assignment.programme.get_absolute_url()


@require_http_methods(["GET", "POST"])
def assignment_end(request, pk):
    """Asks first (the person is told by e-mail), then ends the role; it stays as history."""
    assignment = selectors.get_assignment_for_manager(request.user, pk)
    if not assignment.is_active:
        messages.info(request, _("The role has already ended."))
        return redirect(assignment.programme)
    if request.method == "GET":
        return render(request, "programmes/assignment_end.html", {"assignment": assignment})
    services.end_assignment(assignment, ended_by=request.user)
    messages.success(
        request,
        _("%(person)s no longer has the role and has been told by e-mail.")
        % {"person": assignment.person},
    )
    return redirect(assignment.programme)


class FactSheetMixin:
    """Loads the programme and organisation (404 outside the user's clusters)."""

    def load(self, request, programme_pk, organisation_pk):
        self.programme, self.organisation, self.cluster = (
            selectors.get_programme_organisation_in_cluster(
                request.user, programme_pk, organisation_pk
            )
        )
        self.can_edit = can_edit_fact_sheet(request.user, self.programme, self.organisation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programme=self.programme,
            organisation=self.organisation,
            cluster=self.cluster,
            can_edit=self.can_edit,
            **kwargs,
        )


class FactSheetView(FactSheetMixin, TemplateView):
    """An organisation's fact sheet: everyone in the cluster reads it."""

    template_name = "programmes/fact_sheet_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.load(request, kwargs["programme_pk"], kwargs["organisation_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        sheet = selectors.fact_sheet_of(self.programme, self.organisation)
        return super().get_context_data(
            sheet=sheet, parts=selectors.fact_sheet_parts(sheet), **kwargs
        )


class FactSheetUpdateView(FactSheetMixin, ServiceFormMixin, FormView):
    """The key person (or SKR's project manager) fills in the fact sheet."""

    template_name = "programmes/fact_sheet_form.html"
    form_class = FactSheetForm

    def dispatch(self, request, *args, **kwargs):
        self.load(request, kwargs["programme_pk"], kwargs["organisation_pk"])
        if not self.can_edit:
            raise PermissionDenied
        self.sheet = selectors.fact_sheet_of(self.programme, self.organisation)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.sheet}

    def get_context_data(self, **kwargs):
        return super().get_context_data(sheet=self.sheet, **kwargs)

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        return services.save_fact_sheet(
            self.programme, self.organisation, user=self.request.user, **fields
        )

    def get_success_url(self):
        messages.success(self.request, _("The fact sheet was saved."))
        return self.result.get_absolute_url()


class ClusterFactSheetsView(TemplateView):
    """The cluster's fact sheets side by side: one column per organisation."""

    template_name = "programmes/cluster_fact_sheets.html"

    def get_context_data(self, **kwargs):
        cluster = selectors.get_cluster_for_user(self.request.user, self.kwargs["pk"])
        columns = selectors.cluster_fact_sheets(cluster)
        return super().get_context_data(
            cluster=cluster,
            columns=columns,
            rows=selectors.fact_sheet_comparison(columns),
            can_edit={
                column.organisation.pk
                for column in columns
                if can_edit_fact_sheet(self.request.user, cluster.programme, column.organisation)
            },
            **kwargs,
        )
