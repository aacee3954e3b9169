from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from benchmarking.forms import ServiceFormMixin
from checklists.selectors import get_programme_organisation_for_user
from programmes.selectors import get_cluster_for_user

from . import selectors, services
from .enums import ActionStatus
from .forms import ActionForm, FollowUpForm
from .permissions import can_edit_plan


def plan_url(programme_id, organisation_id):
    return reverse(
        "plans:plan",
        kwargs={"programme_pk": programme_id, "organisation_pk": organisation_id},
    )


class PlanView(TemplateView):
    template_name = "plans/plan.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme, organisation, cluster = get_programme_organisation_for_user(
            user, self.kwargs["programme_pk"], self.kwargs["organisation_pk"]
        )
        last_meeting = selectors.last_held_meeting(cluster)
        since = self.request.GET.get("since") == "last-meeting" and last_meeting is not None
        actions = selectors.plan(
            programme, organisation, since=last_meeting.ends_at if since else None
        )
        can_edit = can_edit_plan(user, programme, organisation)
        if can_edit:
            meetings = selectors.meetings_for_follow_up(programme, organisation)
            for action in actions:
                # One form per action, each with its own field ids.
                action.follow_up_form = FollowUpForm(
                    prefix=f"action{action.pk}",
                    # "Status now" shows the action's status: left alone, it stays.
                    initial={"status": action.status},
                    meetings=meetings,
                    action_url=reverse("plans:follow_up_add", kwargs={"pk": action.pk}),
                )
        return super().get_context_data(
            programme=programme,
            organisation=organisation,
            cluster=cluster,
            actions=actions,
            last_meeting=last_meeting,
            since=since,
            can_edit=can_edit,
            **kwargs,
        )


class ActionFormView(ServiceFormMixin, FormView):
    """New action (organisation in the URL; ``?statement=`` or ``?kpi=`` links it) or an
    existing one (``pk``)."""

    template_name = "plans/action_form.html"
    form_class = ActionForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.statement = self.organisation_kpi = None
        if "pk" in kwargs:
            self.action = selectors.get_action_for_user(user, kwargs["pk"])
            self.programme, self.organisation = self.action.programme, self.action.organisation
        else:
            self.action = None
            self.programme, self.organisation, _cluster = get_programme_organisation_for_user(
                user, kwargs["programme_pk"], kwargs["organisation_pk"]
            )
            self._link(request)
        if not can_edit_plan(user, self.programme, self.organisation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _link(self, request):
        # The link comes in the query string (the form posts back to the same URL).
        source = request.GET
        if source.get("statement", "").isdigit():
            self.statement = selectors.linkable_statement(self.programme, source["statement"])
        if source.get("kpi", "").isdigit():
            self.organisation_kpi = selectors.linkable_organisation_kpi(
                self.programme, self.organisation, source["kpi"]
            )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.action,
            "people": selectors.organisation_people(self.programme, self.organisation),
        }

    def get_initial(self):
        if self.statement is not None:
            return {"title": self.statement.localized_text[:300], "area": "checklist"}
        if self.organisation_kpi is not None:
            kpi = self.organisation_kpi.kpi
            title = _("Reduce the difference between women and men: %(kpi)s") % {"kpi": kpi.title}
            return {"title": title[:300], "area": "key_figure"}
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action,
            organisation=self.organisation,
            programme=self.programme,
            statement=self.statement or getattr(self.action, "statement", None),
            organisation_kpi=self.organisation_kpi
            or getattr(self.action, "organisation_kpi", None),
            **kwargs,
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        if self.action is not None:
            return services.update_action(self.action, **data)
        return services.create_action(
            self.programme,
            self.organisation,
            user=self.request.user,
            statement=self.statement,
            organisation_kpi=self.organisation_kpi,
            **data,
        )

    def get_success_url(self):
        messages.success(self.request, _("The action was saved."))
        return f"{plan_url(self.programme.pk, self.organisation.pk)}#action-{self.result.pk}"


@require_POST
def follow_up_add(request, pk):
    action = selectors.get_action_for_user(request.user, pk)
    if not can_edit_plan(request.user, action.programme, action.organisation):
        raise PermissionDenied
    meetings = selectors.meetings_for_follow_up(action.programme, action.organisation)
    form = FollowUpForm(request.POST, prefix=f"action{action.pk}", meetings=meetings)
    url = f"{plan_url(action.programme_id, action.organisation_id)}#action-{action.pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(
                    request, _("The follow-up was not saved: %(error)s") % {"error": error}
                )
        return redirect(url)
    services.add_follow_up(action, user=request.user, **form.cleaned_data)
    messages.success(request, _("The follow-up was saved."))
    return redirect(url)


class ClusterPlansView(TemplateView):
    template_name = "plans/cluster_plans.html"

    def get_context_data(self, **kwargs):
        cluster = get_cluster_for_user(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            cluster=cluster,
            plans=selectors.cluster_plans(cluster),
            statuses=ActionStatus.choices,
            **kwargs,
        )
