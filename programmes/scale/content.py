"""What the seeded programme is made of: sizes, names and texts."""

import re

from meetings.enums import Attendance, VenueFeature
from plans.enums import ActionStatus
from programmes.enums import Role

BATCH_SIZE = 1000
# A reserved domain (RFC 2606): a seeded address can never reach anyone.
EMAIL_DOMAIN = "skala.invalid"
# The seeded programme's description; --replace deletes only a programme that has it.
PROGRAMME_DESCRIPTION = "Påhittat program för lasttester, skapat av manage.py seed_scale."
ORGANISATIONS_PER_CLUSTER = 6
# Ten people per organisation: the model's three roles first, then further participants.
PEOPLE = [
    (Role.KEY_PERSON, False),
    (Role.ELECTED_OFFICIAL, False),
    (Role.MANAGER, False),
    (Role.ELECTED_OFFICIAL, False),
    (Role.ELECTED_OFFICIAL, True),
    (Role.MANAGER, False),
    (Role.MANAGER, False),
    (Role.MANAGER, False),
    (Role.MANAGER, False),
    (Role.MANAGER, True),
]
# Where each cluster stands today, one letter per meeting: E held and evaluated, H held but
# its evaluation link not out yet, I invited, P dated, N no date yet. The first two cover
# every status between them, so a two-cluster run shows them all too.
PATTERNS = ["EEIN", "EEHP", "EEEE", "EPPN", "INNN", "EEEI", "EEEP", "EEPP", "EEIP", "EPNN"]
HELD = "EH"
INVITED = "EHI"

ORGANISATION_NAME = re.compile(r"^Skal(?:kommun|region) (\d+)$")
SEEDED_EMAIL = re.compile(rf"^[a-z]+(\d+)@{re.escape(EMAIL_DOMAIN)}$")
REGION_SHARE = 0.12

# Written as words: easier to read than eighty quoted names.
FIRST_NAMES = (  # noqa: SIM905
    "Anna Eva Maria Karin Sara Lena Emma Kerstin Ingrid Sofia Linnea Elin Maja Ida Johanna "
    "Helena Fatima Leila Noor Hanna Lars Anders Johan Karl Erik Per Mikael Nils Olof Peter "
    "Jonas Magnus Oskar Ali Yusuf Amir Gustav Axel Omar Viktor"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
    "Gustafsson Pettersson Jonsson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson "
    "Olofsson Lindström Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lundgren Mattsson "
    "Berglund Fredriksson Sandberg Henriksson Hassan Öberg Åberg Nyström Holm Ekström Sjöberg"
).split()
PROJECT_MANAGER_TITLE = "Projektledare, SKR"
TITLES = {
    Role.KEY_PERSON: ["Jämställdhetsstrateg", "Utvecklingsledare", "Processledare"],
    Role.ELECTED_OFFICIAL: ["Ordförande i styrelsen", "Oppositionsråd", "Ledamot"],
    Role.MANAGER: [
        "Direktör",
        "HR-chef",
        "Ekonomichef",
        "Förvaltningschef",
        "Kvalitetsutvecklare",
        "Verksamhetsutvecklare",
        "Statistiker",
    ],
}

VENUE_FEATURES = list(VenueFeature.values)
ATTENDANCE = [Attendance.IN_PERSON, Attendance.REMOTE, Attendance.NOT_ATTENDING]
ATTENDANCE_WEIGHTS = [72, 16, 12]
RATING_WEIGHTS = [2, 5, 15, 45, 33]  # for 1..5
EVALUATION_COMMENTS = [
    "Bra upplägg, men för lite tid för frågor.",
    "Mentorns exempel var mycket konkreta.",
    "Rollgruppssamtalen gav mest.",
    "Lokalen var trång för grupparbete.",
    "Vi tar med oss idén om könsuppdelad statistik per verksamhet.",
    "Tydligare förberedelser hade hjälpt.",
]

ROUNDS = ["Nulägesbedömning", "Uppföljning"]
ASSESSMENT_COMMENTS = [
    "Finns i styrdokumenten men följs inte upp.",
    "Görs i vissa förvaltningar.",
    "Beslut fattat, genomförs under året.",
    "Saknar ansvarig.",
]
ACTION_STATUSES = [
    ActionStatus.PLANNED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.PAUSED,
]
ACTION_STATUS_WEIGHTS = [30, 40, 20, 10]
OTHER_ACTIONS = [
    "Utbilda chefer i jämställdhetsintegrering",
    "Inför jämställdhetsanalys i budgetprocessen",
    "Ta fram könsuppdelad statistik för alla verksamheter",
    "Granska riktlinjer för bemötande ur ett jämställdhetsperspektiv",
]
FOLLOW_UP_NOTES = [
    "Arbetet har kommit igång; redovisas vid nästa träff.",
    "Klart och uppföljt i ledningsgruppen.",
    "Försenat på grund av omorganisation.",
]
