"""Load the demo programme from fixtures/demo.json. Safe to run again: it only adds what is
missing and never changes what people have edited since."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from checklists import demo as checklists_demo
from meetings.models import Meeting
from meetings.services import create_meetings_for_cluster
from meetings.slots import move_host_slot
from plans import demo as plans_demo
from programmes.enums import Role
from programmes.models import Assignment, Cluster, ClusterMembership, Organisation, Programme
from programmes.selectors import memberships_of

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
DEMO_VENUE_FEATURES = ["step_free", "hearing_loop", "projector", "public_transport"]
# Weeks between the meetings of a cluster, from the start-up meeting on.
MEETING_OFFSETS_WEEKS = [0, 10, 20, 30]


class Command(BaseCommand):
    help = "Create the demo programme with two clusters, their organisations and people."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE))

    @transaction.atomic
    def handle(self, *args, file, **options):
        data = json.loads(Path(file).read_text(encoding="utf-8"))
        password = data["password"]
        programme_data = data["programme"]
        programme, _ = Programme.objects.get_or_create(
            name=programme_data["name"],
            defaults={
                "description": programme_data["description"],
                "starts_on": datetime.date.fromisoformat(programme_data["starts_on"]),
                "ends_on": datetime.date.fromisoformat(programme_data["ends_on"]),
                "evaluation_form_url": programme_data["evaluation_form_url"],
            },
        )
        self._user(data["admin"], password, is_staff=True, is_superuser=True)
        for manager in data["project_managers"]:
            person = self._user(manager, password)
            self._assign(programme, person, None, Role.PROJECT_MANAGER)
        for cluster_data in data["clusters"]:
            self._cluster(programme, cluster_data, password)
        first = (
            Meeting.objects.filter(cluster__programme=programme, starts_at__isnull=False)
            .order_by("starts_at")
            .first()
        )
        if first is not None:
            checklists_demo.seed(programme, timezone.localdate(first.starts_at))
        plans_demo.seed(programme)
        self.stdout.write(self.style.SUCCESS(f"Demo programme ready: {programme}"))

    def _user(self, data, password, **flags):
        user_model = get_user_model()
        user = user_model.objects.filter(email__iexact=data["email"]).first()
        if user is None:
            user = user_model.objects.create_user(
                email=data["email"],
                password=password,
                full_name=data["full_name"],
                title=data.get("title", ""),
                **flags,
            )
        return user

    def _assign(self, programme, person, organisation, role):
        if (
            not Assignment.objects.active()
            .filter(programme=programme, person=person, role=role)
            .exists()
        ):
            Assignment.objects.create(
                programme=programme, person=person, organisation=organisation, role=role
            )

    def _cluster(self, programme, data, password):
        cluster, created = Cluster.objects.get_or_create(programme=programme, name=data["name"])
        organisations = []
        for org_data in data["organisations"]:
            organisation, _ = Organisation.objects.get_or_create(
                name=org_data["name"],
                defaults={
                    "kind": org_data["kind"],
                    "kolada_id": org_data["kolada_id"],
                    "description": org_data.get("description", ""),
                },
            )
            organisations.append(organisation)
            ClusterMembership.objects.get_or_create(
                cluster=cluster,
                organisation=organisation,
                defaults={"is_mentor": org_data.get("mentor", False)},
            )
            for role, full_name, email in org_data["people"]:
                person = self._user({"email": email, "full_name": full_name}, password)
                self._assign(programme, person, organisation, role)
        if created:
            # After the organisations: the agenda gets a named slot for each of them.
            create_meetings_for_cluster(cluster)
            self._date_meetings(cluster, organisations, data["first_meeting_in_days"])

    def _date_meetings(self, cluster, organisations, first_in_days):
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        meetings = list(cluster.meetings.order_by("sequence"))
        for meeting, weeks, host in zip(
            meetings, MEETING_OFFSETS_WEEKS, organisations, strict=False
        ):
            day = today + datetime.timedelta(days=first_in_days, weeks=weeks)
            meeting.starts_at = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=tz)
            meeting.ends_at = datetime.datetime.combine(day, datetime.time(16, 0), tzinfo=tz)
            meeting.host = host
            building = "stadshuset" if host.kind == "municipality" else "regionens hus"
            meeting.venue = f"{host.name}, {building}"
            meeting.accessibility = DEMO_VENUE_FEATURES
        Meeting.objects.bulk_update(
            meetings, ["starts_at", "ends_at", "host", "venue", "accessibility"]
        )
        memberships = memberships_of(cluster)
        for meeting in meetings:  # the host's slot first or last, as the model says
            move_host_slot(meeting, memberships)
