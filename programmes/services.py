"""Writing programmes, clusters, organisations and roles.

Services raise ``ValidationError`` (with field names where they apply) for rules that
involve more than one form field or object; views turn them into form errors.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import send_person_invitation
from meetings.services import create_meetings_for_cluster, replan_cluster_slots
from outbox.enums import MailPurpose
from outbox.services import queue_mail

from .enums import Role
from .models import (
    Assignment,
    Cluster,
    ClusterMembership,
    FactSheet,
    Organisation,
    Programme,
)
from .permissions import is_project_manager


def _ensure_not_in_other_cluster(programme: Programme, organisations) -> None:
    taken = (
        ClusterMembership.objects.filter(
            cluster__programme=programme, organisation__in=organisations
        )
        .select_related("organisation", "cluster")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            _("%(organisation)s already belongs to the cluster %(cluster)s in this programme.")
            % {"organisation": taken.organisation, "cluster": taken.cluster}
        )


@transaction.atomic
def create_cluster(
    *, programme: Programme, name: str, mentor: Organisation, organisations
) -> Cluster:
    """Create a cluster with its mentor, its benchmarking organisations and its four meetings."""
    organisations = [o for o in organisations if o.pk != mentor.pk]
    if Cluster.objects.filter(programme=programme, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a cluster with this name.")})
    _ensure_not_in_other_cluster(programme, [mentor, *organisations])
    cluster = Cluster.objects.create(programme=programme, name=name)
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(cluster=cluster, organisation=mentor, is_mentor=True)]
        + [ClusterMembership(cluster=cluster, organisation=o) for o in organisations]
    )
    create_meetings_for_cluster(cluster)
    return cluster


@transaction.atomic
def add_organisation_to_cluster(*, cluster: Cluster, organisation: Organisation) -> None:
    _ensure_not_in_other_cluster(cluster.programme, [organisation])
    ClusterMembership.objects.create(cluster=cluster, organisation=organisation)
    replan_cluster_slots(cluster)


@transaction.atomic
def remove_organisation_from_cluster(*, cluster: Cluster, organisation: Organisation) -> None:
    """A benchmarking organisation leaves the cluster (the mentor cannot)."""
    membership = ClusterMembership.objects.filter(cluster=cluster, organisation=organisation)
    if membership.filter(is_mentor=True).exists():
        raise ValidationError(_("The mentor organisation cannot leave its cluster."))
    membership.delete()
    replan_cluster_slots(cluster)


@transaction.atomic
def create_organisation(*, cluster: Cluster, **fields) -> Organisation:
    """Register a new organisation and let it join a cluster as a benchmarking organisation."""
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    ClusterMembership.objects.create(cluster=cluster, organisation=organisation)
    replan_cluster_slots(cluster)
    return organisation


def update_organisation(organisation: Organisation, **fields) -> Organisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def _person_for(email: str, full_name: str):
    """The existing account for this e-mail address, or a new one without a password."""
    user_model = get_user_model()
    person = user_model.objects.filter(email__iexact=email.strip()).first()
    if person is None:
        person = user_model.objects.create_user(email=email.strip(), full_name=full_name.strip())
    return person


def _check_may_grant_project_manager(user, programme: Programme) -> None:
    if not is_project_manager(user, programme):
        raise PermissionDenied("Only SKR's project manager may grant SKR's project manager role.")


def _check_can_take_role(person, programme, organisation, role) -> None:
    active = Assignment.objects.active().filter(person=person)
    if active.filter(programme=programme, role=role).exists():
        raise ValidationError(
            _("%(person)s already has this role in the programme.") % {"person": person}
        )
    other_organisation = (
        active.exclude(organisation=None)
        .exclude(organisation=organisation)
        .select_related("organisation")
        .first()
    )
    if organisation is not None and other_organisation is not None:
        raise ValidationError(
            {
                "email": _(
                    "%(person)s belongs to %(organisation)s. A person belongs to one organisation."
                )
                % {"person": person, "organisation": other_organisation.organisation}
            }
        )
    if (
        organisation is not None
        and not ClusterMembership.objects.filter(
            cluster__programme=programme, organisation=organisation
        ).exists()
    ):
        raise ValidationError(
            {"organisation": _("The organisation is not in any cluster of this programme.")}
        )


@transaction.atomic
def invite_person(
    *,
    programme: Programme,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation | None,
    is_substitute: bool = False,
    invited_by,
) -> Assignment:
    """Give a person (new or existing) a role and mail them a link to log in.

    SKR's project manager role opens every cluster and every special-needs list: only an
    SKR project manager of the programme (or an administrator) may grant it, and never
    together with an organisation (which would be ignored without a word).
    """
    if role == Role.PROJECT_MANAGER:
        _check_may_grant_project_manager(invited_by, programme)
        if organisation is not None:
            raise ValidationError(
                {
                    "organisation": _(
                        "An SKR project manager works at SKR, not for %(organisation)s. Leave "
                        "the organisation empty, or choose one of the organisation's roles."
                    )
                    % {"organisation": organisation}
                }
            )
    elif role not in Role.values:
        raise ValidationError({"role": _("Choose the person's role.")})
    elif organisation is None:
        raise ValidationError({"organisation": _("Choose the person's organisation.")})
    person = _person_for(email, full_name)
    _check_can_take_role(person, programme, organisation, role)
    assignment = Assignment.objects.create(
        programme=programme,
        person=person,
        organisation=organisation,
        role=role,
        is_substitute=is_substitute,
    )
    send_person_invitation(assignment=assignment, invited_by=invited_by)
    return assignment


@transaction.atomic
def end_assignment(assignment: Assignment, *, ended_by=None, successor=None) -> Assignment:
    """End a role (it is kept, as history) and tell the person."""
    # Locked and read again: two people ending (or handing over) the role at once end it once.
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if current.ended_at is None:
        assignment.ended_at = current.ended_at = timezone.now()
        current.save(update_fields=["ended_at"])
        _send_role_ended(current, ended_by=ended_by, successor=successor)
    return assignment


def _send_role_ended(assignment: Assignment, *, ended_by, successor) -> None:
    queue_mail(
        purpose=MailPurpose.ROLE_ENDED,
        template="role_ended",
        context={"assignment": assignment, "ended_by": ended_by, "successor": successor},
        recipient=assignment.person,
        key=f"role-ended:{assignment.pk}",
    )


@transaction.atomic
def hand_over_assignment(
    assignment: Assignment, *, email: str, full_name: str, handed_over_by
) -> Assignment:
    """End a role and give it to a successor; the ended assignment points to the new one.

    What an organisation builds up (descriptions, self-assessments, plans) belongs to the
    organisation, not to the person, so it stays in place and the successor takes it on.
    Both people are told: the successor gets an invitation, the one leaving a mail that
    names the successor.
    """
    # Locked and read again: a second hand-over (or a double submit) of the same role waits
    # for the first and then finds the role ended.
    assignment = (
        Assignment.objects.select_for_update().select_related("programme").get(pk=assignment.pk)
    )
    if assignment.ended_at is not None:
        raise ValidationError(_("This role has already ended."))
    if assignment.role == Role.PROJECT_MANAGER:
        _check_may_grant_project_manager(handed_over_by, assignment.programme)
    successor = _person_for(email, full_name)
    if successor.pk == assignment.person_id:
        raise ValidationError({"email": _("Hand the role over to someone else.")})
    _check_can_take_role(successor, assignment.programme, assignment.organisation, assignment.role)
    new_assignment = Assignment.objects.create(
        programme=assignment.programme,
        person=successor,
        organisation=assignment.organisation,
        role=assignment.role,
        is_substitute=assignment.is_substitute,
    )
    assignment.handed_over_to = new_assignment
    assignment.save(update_fields=["handed_over_to"])
    end_assignment(assignment, ended_by=handed_over_by, successor=successor)
    send_person_invitation(assignment=new_assignment, invited_by=handed_over_by)
    return new_assignment


def _check_population(fields) -> None:
    women, men, total = (fields.get(f"population_{key}") for key in ("women", "men", "total"))
    if women is not None and men is not None and total is not None and total < women + men:
        raise ValidationError(
            {"population_total": _("The total is smaller than women and men together.")}
        )
    if any(value is not None for value in (women, men, total)) and not fields.get(
        "population_year"
    ):
        raise ValidationError({"population_year": _("Say which year the population is from.")})


def save_fact_sheet(programme: Programme, organisation: Organisation, *, user=None, **fields):
    """Create or update the organisation's fact sheet for the programme. Population figures
    typed by hand are no longer marked as Kolada's."""
    _check_population(fields)
    sheet = FactSheet.objects.select_for_update().filter(
        programme=programme, organisation=organisation
    ).first() or FactSheet(programme=programme, organisation=organisation)
    population = ("population_year", "population_women", "population_men", "population_total")
    if any(key in fields and fields[key] != getattr(sheet, key) for key in population):
        sheet.population_from_kolada = False
    for key, value in fields.items():
        if key in FactSheet.EDITABLE_FIELDS:
            setattr(sheet, key, value)
    sheet.updated_by = user
    sheet.save()
    return sheet


def set_fact_sheet_population(
    programme: Programme, organisation: Organisation, *, year: int, women, men, total, user=None
) -> FactSheet:
    """Population by sex from an outside source (Kolada), into the fact sheet."""
    sheet, _created = FactSheet.objects.select_for_update().get_or_create(
        programme=programme,
        organisation=organisation,
        defaults={"other_facts": organisation.description},
    )
    sheet.population_year = year
    sheet.population_women = women
    sheet.population_men = men
    sheet.population_total = total
    sheet.population_from_kolada = True
    sheet.updated_by = user
    sheet.save()
    return sheet
