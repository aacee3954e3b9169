"""The programme's journeys around the meetings: SKR's project manager sets up a cluster and
names its people; the invitation goes out and a participant registers from the link in the
mail; after the meeting the participant evaluates it from the link in the mail and SKR's
project manager reads the result.

Mail is sent by the outbox in this process (Celery eager, Django's in-memory mail backend), so
the journeys read it from ``mailoutbox`` and open the links the mail carries. The invitation
and evaluation jobs run with the moment they would run at (``dispatch_due(now)``), so the
journeys do not depend on the hour they run at; the pages are checked in Swedish."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings import mailings, registrations
from meetings.enums import Attendance, MeetingKind
from meetings.models import EvaluationAnswer, Registration
from outbox.enums import MailPurpose, MailState
from outbox.models import OutgoingMail
from programmes.enums import OrganisationKind, Role
from programmes.models import Assignment, Cluster

from ..factories import PASSWORD, AssignmentFactory, OrganisationFactory, UserFactory
from ..meetings.conftest import plan
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

STOCKHOLM = timezone.get_default_timezone()
COMMENT = "Bra exempel från mentorn på hur styrkedjan följs upp. Mer tid för rollgrupperna."


def link_to(page, url: str):
    """The first link to ``url`` in the page's content (the menu has links of its own)."""
    return page.locator(f'main a[href="{url}"]').first


def link_in(message, path: str) -> str:
    """The one link in a mail's text whose path starts with ``path``."""
    links = re.findall(rf"https?://\S+?{re.escape(path)}\S+", message.body)
    assert len(links) == 1, message.body
    return links[0]


def mails_to(outbox, email: str) -> list:
    return [m for m in outbox if m.to == [email]]


@pytest.fixture
def site_url(settings, live_server):
    """Links in mail lead to the test server, as they lead to the site in production."""
    settings.SITE_URL = live_server.url
    return live_server.url


def test_project_manager_sets_up_a_cluster_and_names_its_people(
    page, new_page, world, mailoutbox, site_url
):
    programme = world.programme
    uppsala = OrganisationFactory(name="Uppsala kommun", kolada_id="0380")
    eskilstuna = OrganisationFactory(name="Eskilstuna kommun", kolada_id="0484")
    stockholm = OrganisationFactory(
        name="Region Stockholm", kind=OrganisationKind.REGION, kolada_id="0001"
    )
    people = [
        (
            Role.ELECTED_OFFICIAL,
            "Förtroendevald",
            "Lena Ordförande",
            "lena.ordforande@eskilstuna.example",
        ),
        (
            Role.MANAGER,
            "Chef/tjänsteperson",
            "Per Kommundirektör",
            "per.direktor@eskilstuna.example",
        ),
        (Role.KEY_PERSON, "Nyckelperson", "Sara Nyckelperson", "sara.nyckel@eskilstuna.example"),
    ]
    log_in(page, world.project_manager.email, PASSWORD)

    # From "My programme" to the programme SKR's project manager runs.
    link_to(page, programme.get_absolute_url()).click()
    page.wait_for_url(f"**{programme.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.name)
    screenshot(page, "programme-setup-01-programme")

    # A new cluster: Uppsala mentors Eskilstuna; it gets its four meetings.
    page.get_by_role("link", name="Nytt kluster").click()
    page.get_by_label("Namn").fill("Uppland och Sörmland")
    page.get_by_label("Mentororganisation").select_option(label=uppsala.name)
    page.get_by_role("group", name="Benchmarkingorganisationer").get_by_label(
        eskilstuna.name
    ).check()
    screenshot(page, "programme-setup-02-new-cluster")
    page.get_by_role("button", name="Skapa kluster").click()
    expect(page.locator(".alert-success")).to_have_text(
        "Klustret har skapats med sina fyra träffar."
    )
    cluster = Cluster.objects.get(programme=programme, name="Uppland och Sörmland")
    expect(page.get_by_role("heading", level=1)).to_have_text(cluster.name)
    expect(page.locator(".meeting-list li")).to_have_count(4)
    screenshot(page, "programme-setup-03-cluster-created")

    # A region joins the cluster as a second benchmarking organisation.
    page.get_by_role("link", name="Lägg till organisation").click()
    page.get_by_label("Organisation").select_option(label=stockholm.name)
    screenshot(page, "programme-setup-04-add-organisation")
    page.get_by_role("button", name="Lägg till i kluster").click()
    page.wait_for_url(f"**{cluster.get_absolute_url()}")
    expect(page.locator(".alert-success")).to_have_text("Organisationen har gått med i klustret.")

    # Eskilstuna's elected official, manager and key person are named; each gets a login link.
    for role, label, name, email in people:
        page.locator("main").get_by_role("link", name="Bjud in person").click()
        page.get_by_label("Namn").fill(name)
        page.get_by_label("E-postadress").fill(email)
        # No role is preselected; the cluster's own organisations are offered.
        expect(page.get_by_role("combobox", name=re.compile(r"^Roll"))).to_have_value("")
        page.get_by_role("combobox", name=re.compile(r"^Roll")).select_option(label=label)
        page.get_by_label("Organisation").select_option(label=eskilstuna.name)
        if role == Role.KEY_PERSON:
            screenshot(page, "programme-setup-05-invite-person")
        page.get_by_role("button", name="Skicka inbjudan").click()
        # Invited from the cluster's page, back to it.
        page.wait_for_url(f"**{cluster.get_absolute_url()}")
        expect(page.locator(".alert-success")).to_have_text(
            f"{name} har bjudits in och får en inloggningslänk via e-post."
        )
    screenshot(page, "programme-setup-06-people-named")

    # The cluster page shows the organisations and Eskilstuna's three people.
    mentor_card = page.locator("article", has=page.get_by_role("heading", name=uppsala.name))
    expect(mentor_card.locator(".badge-mentor")).to_have_text("Mentororganisation")
    eskilstuna_people = page.get_by_role("table", name=f"Personer i {eskilstuna.name}")
    expect(eskilstuna_people.locator("tbody tr")).to_have_count(3)
    for _role, label, name, _email in people:
        expect(eskilstuna_people.locator("tr", has_text=name)).to_contain_text(label)
    screenshot(page, "programme-setup-07-cluster-with-people")

    # The overview shows the new cluster beside the others; the timeline lists its meetings.
    page.goto(reverse("programmes:programme_overview", kwargs={"pk": programme.pk}))
    new_card = page.locator("section.card", has=page.get_by_role("heading", name=cluster.name))
    expect(new_card.locator("tbody tr")).to_have_count(4)
    expect(new_card).to_contain_text("Inget datum än")
    screenshot(page, "programme-setup-08-overview")
    page.get_by_role("link", name="Tidslinje").click()
    page.wait_for_url("**/overview/timeline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidslinje över alla träffar")
    screenshot(page, "programme-setup-09-timeline")
    assert page.problems == []

    # The key person logs in with the link from the mail and finds the cluster.
    key_person_name, key_person_email = people[2][2], people[2][3]
    (invitation,) = mails_to(mailoutbox, key_person_email)
    login_link = link_in(invitation, "/accounts/login/link/")
    key_person = new_page()
    key_person.goto(login_link)
    expect(key_person.get_by_text(f"Logga in som {key_person_name}?")).to_be_visible()
    screenshot(key_person, "programme-setup-10-login-link")
    key_person.get_by_role("button", name="Logga in").click()
    expect(key_person.locator(".alert-success")).to_contain_text("Välkommen, Sara.")
    expect(key_person.get_by_role("link", name=cluster.name).first).to_be_visible()
    screenshot(key_person, "programme-setup-11-key-person-home")
    assert key_person.problems == []

    memberships = {m.organisation: m.is_mentor for m in cluster.memberships.all()}
    assert memberships == {uppsala: True, eskilstuna: False, stockholm: False}
    assert sorted(cluster.meetings.values_list("kind", flat=True)) == sorted(MeetingKind.values)
    named = Assignment.objects.active().filter(programme=programme, organisation=eskilstuna)
    assert sorted((a.role, a.person.full_name, a.person.email) for a in named) == sorted(
        (role, name, email) for role, _label, name, email in people
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(email for *_, email in people)
    assert {
        o.purpose for o in OutgoingMail.objects.filter(to_email__in=[p[3] for p in people])
    } == {MailPurpose.PERSON_INVITATION}


def test_invitation_goes_out_and_participant_registers_from_the_mail(
    page, new_page, world, mailoutbox, site_url
):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    day = timezone.localdate() + datetime.timedelta(days=14)
    log_in(page, world.key_person.email, PASSWORD)

    # The mentor's key person plans the meeting two weeks ahead, from the cluster page.
    link_to(page, world.cluster.get_absolute_url()).click()
    page.wait_for_url(f"**{world.cluster.get_absolute_url()}")
    link_to(page, meeting.get_absolute_url()).click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Planera träffen").click()
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Börjar").fill("09:30")
    page.get_by_label("Slutar").fill("16:00")
    page.get_by_label("Värdorganisation").select_option(label=world.mentor.name)
    page.get_by_label("Lokal", exact=True).fill("Stadshuset, sal Tripoli")
    page.get_by_label("Adress och vägbeskrivning").fill("Stationsgatan 12, Uppsala")
    page.get_by_label("Hörslinga").check()
    page.get_by_label("Tillgänglig utan trappsteg (rullstol)").check()
    screenshot(page, "invitation-01-plan-meeting")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".alert-success")).to_contain_text("Träffen sparades.")
    screenshot(page, "invitation-02-meeting-planned")
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at, STOCKHOLM).date() == day
    assert mailoutbox == []  # planning alone sends nothing: the periodic job does

    # The periodic job runs on the invitation day: everyone in the cluster, and SKR's copy.
    invitation_day = meeting.starts_at - datetime.timedelta(
        days=world.programme.invitation_lead_days
    )
    created = mailings.dispatch_due(invitation_day)

    participants = [world.key_person, world.participant]
    assert created == len(participants) + 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        p.email for p in [*participants, world.project_manager]
    )
    assert world.other_participant.email not in {m.to[0] for m in mailoutbox}
    (copy,) = mails_to(mailoutbox, world.project_manager.email)
    assert copy.subject.startswith("Kopia: Inbjudan: Benchmarkingträff 1")
    (invitation,) = mails_to(mailoutbox, world.participant.email)
    assert invitation.subject.startswith("Inbjudan: Benchmarkingträff 1 – Mälardalen")
    assert "Stadshuset, sal Tripoli" in invitation.body
    for message in mailoutbox:
        attachments = {
            name.rsplit(".", 1)[1]: (content, kind) for name, content, kind in message.attachments
        }
        assert sorted(attachments) == ["ics", "pdf"]
        assert attachments["pdf"][0].startswith(b"%PDF")
        assert attachments["pdf"][1] == "application/pdf"
        calendar, kind = attachments["ics"]  # text: Django decodes text/* attachments
        assert kind.startswith("text/calendar")
        assert f"UID:meeting-{meeting.pk}@jambench" in calendar
    assert set(OutgoingMail.objects.filter(meeting=meeting).values_list("state", flat=True)) == {
        MailState.SENT
    }

    # The participant opens the personal link in the mail: no login needed.
    registration_link = link_in(invitation, "/r/")
    participant = new_page()
    participant.goto(registration_link)
    expect(participant.get_by_role("heading", level=1)).to_contain_text("Benchmarkingträff 1")
    participant.get_by_label("Jag deltar på plats").check()
    participant.get_by_label("Vegetarisk").check()
    participant.get_by_label("Annan kost eller allergi").fill("Ingen koriander")
    participant.get_by_label("Jag behöver hörslinga").check()
    screenshot(participant, "invitation-03-registration-form")
    participant.get_by_role("button", name="Skicka mitt svar").click()
    expect(participant.locator(".alert-success")).to_have_text("Tack, ditt svar har sparats.")
    expect(participant.get_by_label("Jag behöver hörslinga")).to_be_checked()
    screenshot(participant, "invitation-04-registration-saved")
    assert participant.problems == []

    registration = Registration.objects.get(meeting=meeting, person=world.participant)
    assert registration_link.endswith(registration.get_absolute_url())
    assert (registration.attendance, registration.diets, registration.hearing_loop) == (
        Attendance.IN_PERSON,
        ["vegetarian"],
        True,
    )
    assert registration.diet_other == "Ingen koriander"

    # The host's key person sees the counts for the caterer and the venue, and who comes.
    page.reload()
    page.get_by_role("link", name="Anmälningar").click()
    page.wait_for_url(f"**{reverse('meetings:meeting_registrations', args=[meeting.pk])}")
    summary = page.locator('section[aria-labelledby="summary-heading"] dl')

    def count(term: str):
        return summary.locator(f'dt:text-is("{term}") + dd')

    expect(count("Deltar på plats")).to_have_text("1")
    expect(count("Inte svarat ännu")).to_have_text("1")
    # The need as written, for the caterer, without the name.
    expect(count("Specialkost")).to_have_text(
        re.compile(r"^\s*1 vegetarisk\s+1 × Ingen koriander\s*$")
    )
    expect(count("Hörslinga")).to_have_text("1")
    named = page.locator("tr", has_text=world.participant.full_name)
    expect(named).to_contain_text("Jag deltar på plats")
    expect(named).to_contain_text("Ingen koriander")
    screenshot(page, "invitation-05-registrations")
    assert page.problems == []


def test_participant_evaluates_the_meeting_from_the_mail_and_skr_sees_the_result(
    page, new_page, world, mailoutbox, site_url
):
    meeting = world.cluster.meetings.get(kind=MeetingKind.BENCHMARKING_1)
    declined = UserFactory(full_name="Maria Chef")
    AssignmentFactory(
        programme=world.programme,
        person=declined,
        organisation=world.benchmarking_organisation,
        role=Role.MANAGER,
    )
    # Yesterday's meeting, planned, invited and answered weeks before it.
    day = timezone.localdate() - datetime.timedelta(days=1)
    planned_at = datetime.datetime.combine(
        day - datetime.timedelta(days=30), datetime.time(9), tzinfo=STOCKHOLM
    )
    plan(
        meeting,
        day,
        at=planned_at,
        host=world.mentor,
        venue="Stadshuset, sal Tripoli",
        accessibility=["hearing_loop"],
    )
    invitation_day = meeting.starts_at - datetime.timedelta(days=14)
    with time_machine.travel(invitation_day, tick=False):
        mailings.dispatch_due(invitation_day)
        answers = {
            world.participant: Attendance.IN_PERSON,
            world.key_person: Attendance.IN_PERSON,
            declined: Attendance.NOT_ATTENDING,
        }
        for person, attendance in answers.items():
            registrations.answer(
                Registration.objects.get(meeting=meeting, person=person),
                attendance=attendance,
                diets=[],
                diet_other="",
                hearing_loop=False,
                accessibility="",
                other_needs="",
            )
    invitations = len(mailoutbox)
    mail.outbox.clear()

    # The job runs after the meeting: the link to all who came, none to who said no.
    created = mailings.dispatch_due(meeting.ends_at + datetime.timedelta(hours=1))

    assert created == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.participant.email, world.key_person.email]
    )
    (evaluation_mail,) = mails_to(mailoutbox, world.participant.email)
    assert evaluation_mail.subject == "Hur var Benchmarkingträff 1 (Mälardalen)?"
    evaluation_link = link_in(evaluation_mail, "/e/")

    # The participant opens the link, rates the five statements, comments and sends.
    participant = new_page()
    participant.goto(evaluation_link)
    expect(participant.get_by_role("heading", level=1)).to_have_text(
        "Utvärdering: Benchmarkingträff 1"
    )
    ratings = {
        "Träffen uppfyllde sitt syfte.": 5,
        "Jag lärde mig något som vi kan använda i vår organisation.": 4,
        "Utbytet med de andra organisationerna var värdefullt.": 5,
        "Jag har med mig idéer till vårt förbättringsarbete.": 4,
        "Träffen var väl ordnad (lokal, tider, material).": 3,
    }
    for statement, rating in ratings.items():
        group = participant.get_by_role("group", name=statement)
        group.get_by_label(str(rating), exact=True).check()
    participant.get_by_label("Vad var bäst, och vad kan bli bättre?").fill(COMMENT)
    screenshot(participant, "evaluation-01-form")
    participant.get_by_role("button", name="Skicka min utvärdering").click()
    expect(participant.locator(".alert-success").first).to_have_text("Tack för din utvärdering!")
    expect(participant.get_by_text("Du har redan utvärderat träffen. Tack!")).to_be_visible()
    expect(participant.get_by_role("button", name="Skicka min utvärdering")).to_have_count(0)
    screenshot(participant, "evaluation-02-thanks")
    assert participant.problems == []

    answer = EvaluationAnswer.objects.get(registration__meeting=meeting)
    assert answer.registration.person == world.participant
    assert answer.ratings == {
        "purpose": 5,
        "learning": 4,
        "exchange": 5,
        "improvement": 4,
        "organisation": 3,
    }
    assert answer.comment == COMMENT

    # SKR's project manager reads the result on the programme's evaluation page.
    evaluations_url = reverse("meetings:programme_evaluations", args=[world.programme.pk])
    log_in(page, world.project_manager.email, PASSWORD)
    link_to(page, world.programme.get_absolute_url()).click()
    page.wait_for_url(f"**{world.programme.get_absolute_url()}")
    link_to(page, evaluations_url).click()
    page.wait_for_url(f"**{evaluations_url}")
    result = page.locator(f'article[aria-labelledby="result-{meeting.pk}"]')
    expect(result).to_contain_text("1 av 2 har svarat")
    expect(result).to_contain_text("(50 %)")
    expect(result.locator("tr", has_text="Träffen uppfyllde sitt syfte.")).to_contain_text("5")
    expect(result.locator("li")).to_have_text([COMMENT])
    expect(result).to_contain_text(f"{world.key_person.full_name} ({world.mentor.name})")
    expect(result).not_to_contain_text(declined.full_name)
    screenshot(page, "evaluation-03-programme-evaluations")

    # The meeting's sent mail: the invitations, SKR's copy and the evaluation links, all sent.
    link_to(page, meeting.get_absolute_url()).click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Skickad e-post").click()
    page.wait_for_url(f"**{reverse('meetings:meeting_outbox', args=[meeting.pk])}")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(invitations + created)
    expect(rows.locator(".badge")).to_have_text(["Skickat"] * (invitations + created))
    expect(rows.filter(has_text="Hur var Benchmarkingträff 1")).to_have_count(2)
    expect(rows.filter(has_text="Kopia: Inbjudan")).to_have_count(1)
    screenshot(page, "evaluation-04-sent-mail")
    assert page.problems == []
    assert invitations == 4  # three participants and SKR's copy
    assert OutgoingMail.objects.filter(meeting=meeting, state=MailState.SENT).count() == 6
