from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")


class Role(models.TextChoices):
    PROJECT_MANAGER = "project_manager", _("SKR project manager")
    KEY_PERSON = "key_person", _("Key person")
    ELECTED_OFFICIAL = "elected_official", _("Elected official")
    MANAGER = "manager", _("Manager/administrator")


ORGANISATION_ROLES = [Role.KEY_PERSON, Role.ELECTED_OFFICIAL, Role.MANAGER]

# What each role gives access to, said where a role is
# granted (the invite form) and in the mail to the person.
ROLE_ACCESS = {
    Role.KEY_PERSON: _(
        "Plans the cluster's meetings with the other key persons, sees the special needs of "
        "the meetings their organisation hosts, and keeps the organisation's self-assessment, "
        "key figures and improvement plan."
    ),
    Role.ELECTED_OFFICIAL: _(
        "Takes part in the meetings and sees the cluster's shared material; changes nothing "
        "but their own registrations and answers."
    ),
    Role.MANAGER: _(
        "Takes part in the meetings and sees the cluster's shared material; changes nothing "
        "but their own registrations and answers."
    ),
    Role.PROJECT_MANAGER: _(
        "Sees and changes everything in the programme: every cluster and organisation, every "
        "participant's special needs, a copy of every invitation, and who holds which role."
    ),
}
