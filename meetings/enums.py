from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """The four meetings of a cluster, in the order the model holds them."""

    STARTUP = "startup", _("Start-up meeting")
    BENCHMARKING_1 = "benchmarking_1", _("Benchmarking meeting 1")
    BENCHMARKING_2 = "benchmarking_2", _("Benchmarking meeting 2")
    BENCHMARKING_3 = "benchmarking_3", _("Benchmarking meeting 3")


class AgendaFormat(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    PRESENTATION = "presentation", _("Presentation")
    SMALL_GROUPS = "small_groups", _("Small groups")
    ROLE_GROUPS = "role_groups", _("Role groups")
    REFLECTION = "reflection", _("Reflection and planning per organisation")
    BREAK = "break", _("Break")
    FIKA = "fika", _("Coffee break")
    LUNCH = "lunch", _("Lunch")


class SlotOrganisations(models.TextChoices):
    """Which organisations of the cluster get a slot of their own in a per-organisation item."""

    BENCHMARKING = "benchmarking", _("The benchmarking organisations")
    ALL = "all", _("All organisations, the mentor included")


class AutomaticTask(models.TextChoices):
    """Organiser tasks the product carries out itself, and so ticks off itself."""

    INVITATION = "invitation", _("Invitation with agenda, copy to SKR")
    REGISTRATION = "registration", _("Registration with special needs")
    EVALUATION = "evaluation", _("Evaluation link")


class VenueFeature(models.TextChoices):
    """The venue checklist of the model: accessible, equipped, reachable, roomy."""

    STEP_FREE = "step_free", _("Step-free access (wheelchair)")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    MICROPHONE = "microphone", _("Microphone")
    PROJECTOR = "projector", _("Projector")
    WHITEBOARD = "whiteboard", _("Whiteboard")
    FLIPCHART = "flipchart", _("Flipchart and pens")
    PUBLIC_TRANSPORT = "public_transport", _("Reachable by public transport")
    GROUP_TABLES = "group_tables", _("Room for group work at separate tables")


class ChecklistPhase(models.TextChoices):
    BEFORE = "before", _("Before")
    DURING = "during", _("During")
    AFTER = "after", _("After")
    VENUE = "venue", _("Venue")


class Responsible(models.TextChoices):
    """Who the model gives a task or agenda item to; resolved to an organisation per cluster."""

    HOST = "host", _("Host organisation")
    MENTOR = "mentor", _("Mentor organisation")
    EACH_ORGANISATION = "each_organisation", _("Each organisation")
    SKR = "skr", _("SKR")
    ALL = "all", _("Everyone")


class DocumentKind(models.TextChoices):
    NOTES = "notes", _("Notes")
    PRESENTATION = "presentation", _("Presentation")
    OTHER = "other", _("Other document")


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("I will attend in person")
    REMOTE = "remote", _("I will attend remotely")
    NOT_ATTENDING = "not_attending", _("I cannot attend")


class Diet(models.TextChoices):
    VEGETARIAN = "vegetarian", _("Vegetarian")
    VEGAN = "vegan", _("Vegan")
    GLUTEN_FREE = "gluten_free", _("Gluten-free")
    LACTOSE_FREE = "lactose_free", _("Lactose-free")
    NUT_ALLERGY = "nut_allergy", _("Nut allergy")
    NO_PORK = "no_pork", _("No pork")
