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
