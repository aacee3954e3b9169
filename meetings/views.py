from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import activate, get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from benchmarking.forms import ServiceFormMixin
from benchmarking.freshness import cached_content, next_midnight
from benchmarking.views import file_response
from outbox.enums import MailState
from outbox.services import resend_mail
from programmes.models import Assignment, Organisation

from . import evaluations, mailings, registrations, selectors, services, slots
from .documents.agenda import agenda_docx, agenda_pdf
from .documents.feedback import feedback_data, feedback_docx
from .documents.participants import participant_list_xlsx
from .documents.presentation import presentation_data, presentation_pptx
from .forms import (
    AgendaItemForm,
    DocumentForm,
    EvaluationForm,
    MeetingPlanForm,
    RegistrationForm,
)
from .models import EvaluationAnswer, Registration
from .permissions import (
    can_change_host,
    can_plan_meeting,
    can_see_special_needs,
    document_organisations,
    organisations_user_acts_for,
    ticks_every_preparation,
)


def _agenda_url(meeting):
    return f"{meeting.get_absolute_url()}#agenda"


def _agenda_context(meeting, memberships) -> dict:
    """The agenda with its times, whether it fits the day, and any change of the cluster's
    organisations the planner has yet to apply to it."""
    schedule = selectors.agenda_schedule(meeting, memberships)
    return {
        "schedule": schedule,
        "fit": selectors.agenda_fit(meeting, schedule),
        "slot_change": slots.slot_change(meeting, memberships, [row.item for row in schedule]),
    }


class MeetingDetailView(TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        meeting = selectors.get_meeting_for_user(user, self.kwargs["pk"])
        documents = selectors.documents(meeting)
        can_plan = can_plan_meeting(user, meeting)
        acts_for = organisations_user_acts_for(user, meeting)
        ticks_all = ticks_every_preparation(user, meeting)

        def draw():
            memberships = selectors.cluster_memberships(meeting)
            context = {
                "meeting": meeting,
                "memberships": memberships,
                "posted_material": selectors.posted_material(memberships, documents),
                **_agenda_context(meeting, memberships),
                "model_notes": selectors.model_notes(meeting),
                "checklist": selectors.checklist(meeting, memberships),
                "preparations": selectors.preparations(meeting, memberships),
                "can_plan": can_plan,
                "acts_for": acts_for,
                "ticks_all": ticks_all,
            }
            return context, next_midnight(timezone.now())  # tasks become overdue by the day

        # The plan is the same for everyone with the same rights: drawn once per change.
        shared = cached_content(
            self.template_name,
            (meeting.pk, can_plan, ticks_all, *sorted(acts_for)),
            draw,
            request=self.request,
            partial="shared",
        )
        return super().get_context_data(
            meeting=meeting,
            shared=shared,
            documents=documents,
            can_plan=can_plan,
            can_see_needs=can_see_special_needs(user, meeting),
            own_registration=selectors.own_registration(user, meeting),
            registration_open=registrations.registration_open(meeting),
            **kwargs,
        )


class MeetingPlanMixin:
    """Loads the meeting (404 outside the cluster); only its planners get further (403)."""

    def load_meeting(self, request, pk):
        self.meeting = selectors.get_meeting_for_user(request.user, pk)
        if not can_plan_meeting(request.user, self.meeting):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


def _organisations(meeting):
    return Organisation.objects.filter(cluster_memberships__cluster=meeting.cluster)


class MeetingPlanView(MeetingPlanMixin, ServiceFormMixin, FormView):
    template_name = "meetings/meeting_plan.html"
    form_class = MeetingPlanForm

    def dispatch(self, request, *args, **kwargs):
        self.load_meeting(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        meeting = self.meeting
        start, end = meeting.day_bounds()
        return {
            "date": meeting.date,
            "start_time": start,
            "end_time": end,
            "host": meeting.host,
            "venue": meeting.venue,
            "venue_address": meeting.venue_address,
            "remote_link": meeting.remote_link,
            "accessibility": meeting.accessibility,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": _organisations(self.meeting)}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not can_change_host(self.request.user, self.meeting):
            form.fields["host"].help_text = _(
                "People have registered, so only SKR's project manager can change the host."
            )
        return form

    def get_context_data(self, **kwargs):
        memberships = selectors.cluster_memberships(self.meeting)
        return super().get_context_data(
            **_agenda_context(self.meeting, memberships),
            model_notes=selectors.model_notes(self.meeting),
            can_plan=True,
            **kwargs,
        )

    def perform(self, form):
        return services.plan_meeting(
            self.meeting, **form.cleaned_data, planned_by=self.request.user
        )

    def get_success_url(self):
        messages.success(self.request, _("The meeting was saved."))
        for warning in self.result:
            messages.warning(self.request, warning)
        return self.meeting.get_absolute_url()


class AgendaItemFormView(MeetingPlanMixin, ServiceFormMixin, FormView):
    """Add an item (``meeting`` in the URL) or edit one (``item`` in the URL)."""

    template_name = "meetings/agenda_item_form.html"
    form_class = AgendaItemForm

    def dispatch(self, request, *args, **kwargs):
        self.item = None
        if "item" in kwargs:
            self.item = selectors.get_agenda_item_for_user(request.user, kwargs["item"])
            kwargs["pk"] = self.item.meeting_id
        self.load_meeting(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        item = self.item
        if item is None:
            return {}
        return {
            "title": item.title,
            "title_en": item.title_en,
            "start": item.fixed_start,
            "duration": item.duration,
            "format": item.format,
            "responsible_organisation": item.responsible_organisation,
            "responsible_person": item.responsible_person,
            "notes": item.notes,
            "notes_en": item.notes_en,
        }

    def get_form_kwargs(self):
        people = (
            Assignment.objects.active()
            .filter(
                programme_id=self.meeting.cluster.programme_id,
                organisation__cluster_memberships__cluster=self.meeting.cluster,
            )
            .values_list("person_id", flat=True)
        )
        # Keep the current choices even if a role has ended since, so a save loses nothing.
        current = self.item
        people_ids = Q(pk__in=people)
        organisations = Q(pk__in=_organisations(self.meeting).values("pk"))
        if current is not None and current.responsible_person_id:
            people_ids |= Q(pk=current.responsible_person_id)
        if current is not None and current.responsible_organisation_id:
            organisations |= Q(pk=current.responsible_organisation_id)
        return {
            **super().get_form_kwargs(),
            "organisations": Organisation.objects.filter(organisations),
            "people": get_user_model().objects.filter(people_ids),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)

    def perform(self, form):
        return services.save_agenda_item(self.meeting, self.item, **form.item_fields())

    def get_success_url(self):
        messages.success(self.request, _("The agenda was saved."))
        return _agenda_url(self.meeting)


def _agenda_response(request, meeting):
    """htmx gets the agenda partial back; a plain form post goes back to the page."""
    if request.htmx:
        memberships = selectors.cluster_memberships(meeting)
        return render(
            request,
            "meetings/_agenda.html",
            {"meeting": meeting, **_agenda_context(meeting, memberships), "can_plan": True},
        )
    return redirect(_agenda_url(meeting))


def _planned_item(request, pk):
    item = selectors.get_agenda_item_for_user(request.user, pk)
    if not can_plan_meeting(request.user, item.meeting):
        raise PermissionDenied
    return item


@require_POST
def agenda_item_move(request, pk):
    item = _planned_item(request, pk)
    direction = request.POST.get("direction")
    if direction in {"up", "down"}:
        services.move_agenda_item(item, direction)
    return _agenda_response(request, item.meeting)


@require_POST
def agenda_item_delete(request, pk):
    item = _planned_item(request, pk)
    services.delete_agenda_item(item)
    if not request.htmx:
        messages.success(request, _("“%(title)s” was removed from the agenda.") % {"title": item})
    return _agenda_response(request, item.meeting)


@require_POST
def agenda_slots(request, pk):
    """Apply the change of the cluster's organisations to the agenda's per-organisation
    slots, or keep the agenda as it is (``choice``: ``apply`` or ``keep``)."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not can_plan_meeting(request.user, meeting):
        raise PermissionDenied
    choice = request.POST.get("choice")
    if choice in {"apply", "keep"}:
        services.apply_slot_change(meeting, apply=choice == "apply")
        if not request.htmx:
            messages.success(
                request,
                _("The agenda was re-planned for the cluster's organisations.")
                if choice == "apply"
                else _("The agenda was kept as it is."),
            )
    return _agenda_response(request, meeting)


@require_POST
def checklist_task_toggle(request, pk):
    task = selectors.get_task_for_user(request.user, pk)
    if not can_plan_meeting(request.user, task.meeting):
        raise PermissionDenied
    services.set_task_done(task, done=request.POST.get("done") == "1", user=request.user)
    if request.htmx:
        memberships = selectors.cluster_memberships(task.meeting)
        task = next(t for t in selectors.checklist(task.meeting, memberships) if t.pk == task.pk)
        return render(request, "meetings/_checklist_task.html", {"task": task, "can_plan": True})
    return redirect(f"{task.meeting.get_absolute_url()}#checklist")


@require_POST
def preparation_toggle(request, pk, organisation):
    preparation = selectors.get_preparation_for_user(request.user, pk)
    meeting = preparation.meeting
    allowed = ticks_every_preparation(request.user, meeting) or organisation in (
        organisations_user_acts_for(request.user, meeting)
    )
    member = next(
        (m for m in selectors.cluster_memberships(meeting) if m.organisation_id == organisation),
        None,
    )
    if member is None or not selectors.concerns(preparation, member, meeting):
        raise Http404
    if not allowed:
        raise PermissionDenied
    services.set_preparation_done(
        preparation, member.organisation, done=request.POST.get("done") == "1", user=request.user
    )
    return redirect(f"{meeting.get_absolute_url()}#preparations")


class DocumentUploadView(ServiceFormMixin, FormView):
    """Anyone in the cluster may post documents: presentations before, notes after."""

    template_name = "meetings/document_upload.html"
    form_class = DocumentForm

    def dispatch(self, request, *args, **kwargs):
        self.meeting = selectors.get_meeting_for_user(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        organisations = document_organisations(self.request.user, self.meeting)
        return {**super().get_form_kwargs(), "organisations": organisations}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.add_document(
            self.meeting,
            uploaded=data["file"],
            content_type=form.content_type,
            title=data["title"],
            kind=data["kind"],
            organisation=data["organisation"],
            user=self.request.user,
        )

    def get_success_url(self):
        messages.success(self.request, _("The document was uploaded."))
        return f"{self.meeting.get_absolute_url()}#documents"


def document_download(request, pk):
    document = selectors.get_document_for_user(request.user, pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def document_delete(request, pk):
    document = selectors.get_document_for_user(request.user, pk)
    if document.uploaded_by_id != request.user.pk and not can_plan_meeting(
        request.user, document.meeting
    ):
        raise PermissionDenied
    meeting = document.meeting
    services.delete_document(document)
    messages.success(request, _("The document was deleted."))
    return redirect(f"{meeting.get_absolute_url()}#documents")


def meeting_agenda_pdf(request, pk):
    return file_response(agenda_pdf(selectors.get_meeting_for_user(request.user, pk)))


def meeting_agenda_docx(request, pk):
    return file_response(agenda_docx(selectors.get_meeting_for_user(request.user, pk)))


def meeting_presentation_pptx(request, pk, organisation_pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    organisation = selectors.get_cluster_organisation(meeting, organisation_pk)
    return file_response(presentation_pptx(presentation_data(meeting, organisation)))


def meeting_feedback_docx(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return file_response(feedback_docx(feedback_data(meeting)))


def _speak_language_of(request, person) -> None:
    """A page reached by a personal link speaks its person's language, unless the visitor has
    chosen one with the language switch."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        activate(person.language)
        request.LANGUAGE_CODE = person.language


# Pages and files with named special needs are never kept by a browser or proxy cache.
@method_decorator([login_not_required, never_cache], name="dispatch")
class RegistrationView(ServiceFormMixin, FormView):
    """The personal link from the invitation: the token is the credential, so a participant
    answers without logging in, as long as they have a role in the cluster."""

    template_name = "meetings/registration_form.html"
    form_class = RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        self.registration = (
            Registration.objects.select_related("meeting__cluster__programme", "person")
            .filter(token=kwargs["token"])
            .first()
        )
        if self.registration is None:
            return render(request, "meetings/registration_unknown.html", status=404)
        _speak_language_of(request, self.registration.person)
        if not registrations.takes_part(self.registration):
            return render(request, "meetings/registration_ended.html", status=410)
        self.meeting = self.registration.meeting
        self.open = registrations.registration_open(self.meeting)
        if not self.open and request.method == "POST":
            return self.render_to_response(self.get_context_data(form=self.get_form()), status=410)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        registration = self.registration
        return {
            "attendance": registration.attendance,
            "diets": registration.diets,
            "diet_other": registration.diet_other,
            "hearing_loop": registration.hearing_loop,
            "accessibility": registration.accessibility,
            "other_needs": registration.other_needs,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            registration=self.registration, meeting=self.meeting, is_open=self.open, **kwargs
        )

    def perform(self, form):
        return registrations.answer(self.registration, **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, _("Thank you, your answer was saved."))
        return self.registration.get_absolute_url()


@method_decorator(never_cache, name="dispatch")
class MeetingRegistrationsView(TemplateView):
    """Who comes, and what the caterer and the venue need to know."""

    template_name = "meetings/meeting_registrations.html"

    def get_context_data(self, **kwargs):
        meeting = selectors.get_meeting_for_user(self.request.user, self.kwargs["pk"])
        can_plan = can_plan_meeting(self.request.user, meeting)
        named = can_see_special_needs(self.request.user, meeting)
        if not (can_plan or named):
            raise PermissionDenied
        rows = selectors.registrations(meeting)
        return super().get_context_data(
            meeting=meeting,
            summary=registrations.needs_summary(rows),
            registrations=rows if named else None,
            **kwargs,
        )


class MeetingOutboxView(TemplateView):
    template_name = "meetings/meeting_outbox.html"

    def get_context_data(self, **kwargs):
        meeting = selectors.get_meeting_for_user(self.request.user, self.kwargs["pk"])
        if not can_plan_meeting(self.request.user, meeting):
            raise PermissionDenied
        mails = selectors.meeting_mails(meeting)
        return super().get_context_data(
            meeting=meeting,
            mails=mails,
            failed_count=sum(mail.state == MailState.FAILED for mail in mails),
            **kwargs,
        )


@require_POST
def mail_resend(request, pk):
    mail = selectors.get_mail_for_planner(request.user, pk)
    if mailings.is_out_of_date(mail):
        messages.error(
            request,
            _(
                "This invitation states an earlier date or venue. The participant gets the "
                "current one with the next update; it was not sent again."
            ),
        )
    else:
        resend_mail(mail)
        messages.success(request, _("The mail to %(to)s was queued again.") % {"to": mail.to_email})
    return redirect("meetings:meeting_outbox", pk=mail.meeting_id)


@require_POST
def meeting_mails_resend(request, pk):
    """Every failed mail of the meeting sent again, as after an outage of the mail server."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not can_plan_meeting(request.user, meeting):
        raise PermissionDenied
    resent, out_of_date = mailings.resend_failed_mails(meeting)
    messages.success(
        request,
        ngettext(
            "%(count)d failed mail was queued again.",
            "%(count)d failed mails were queued again.",
            resent,
        )
        % {"count": resent},
    )
    if out_of_date:
        messages.warning(
            request,
            ngettext(
                "%(count)d invitation states an earlier date or venue and was not sent again; "
                "the participant gets the current one with the next update.",
                "%(count)d invitations state an earlier date or venue and were not sent again; "
                "the participants get the current one with the next update.",
                out_of_date,
            )
            % {"count": out_of_date},
        )
    return redirect("meetings:meeting_outbox", pk=meeting.pk)


@method_decorator(login_not_required, name="dispatch")
class EvaluationView(ServiceFormMixin, FormView):
    """The built-in evaluation, reached by the same personal token as the registration."""

    template_name = "meetings/evaluation_form.html"
    form_class = EvaluationForm

    def dispatch(self, request, *args, **kwargs):
        self.registration = (
            Registration.objects.select_related("meeting__cluster__programme", "person")
            .filter(token=kwargs["token"])
            .first()
        )
        if self.registration is None:
            return render(request, "meetings/registration_unknown.html", status=404)
        _speak_language_of(request, self.registration.person)
        self.meeting = self.registration.meeting
        self.answered = EvaluationAnswer.objects.filter(registration=self.registration).exists()
        self.open = evaluations.evaluation_open(self.meeting)
        if request.method == "POST" and (self.answered or not self.open):
            return self.render_to_response(self.get_context_data(), status=409)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "questions": evaluations.questions(),
            "scale": evaluations.evaluation_model()["scale"],
        }

    def get_context_data(self, **kwargs):
        scale = evaluations.evaluation_model()["scale"]["labels"]
        return super().get_context_data(
            registration=self.registration,
            meeting=self.meeting,
            answered=self.answered,
            is_open=self.open,
            scale_labels=scale["en" if get_language() == "en" else "sv"],
            **kwargs,
        )

    def perform(self, form):
        return evaluations.submit(
            self.registration, ratings=form.ratings(), comment=form.cleaned_data["comment"]
        )

    def get_success_url(self):
        messages.success(self.request, _("Thank you for your evaluation!"))
        return reverse("meetings:evaluation", args=[self.registration.token])


class ProgrammeEvaluationsView(TemplateView):
    """For SKR's project manager: response rates, results, trends and who has not answered."""

    template_name = "meetings/programme_evaluations.html"

    def get_context_data(self, **kwargs):
        from programmes.selectors import get_programme_for_manager

        programme = get_programme_for_manager(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            programme=programme, results=evaluations.programme_results(programme), **kwargs
        )


@never_cache
def meeting_registrations_xlsx(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not can_see_special_needs(request.user, meeting):
        raise PermissionDenied
    return file_response(participant_list_xlsx(meeting, selectors.registrations(meeting)))
