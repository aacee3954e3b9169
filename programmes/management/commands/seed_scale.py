"""Create a large, realistic programme for load tests: ``seed_scale --clusters 50`` makes 300
organisations, 3,000 people and 200 meetings with everything around them."""

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from programmes import scale
from programmes.models import Programme

DEFAULT_PASSWORD = "skalprov-lasttest"  # nosec B105  # seeded load-test accounts; --password sets another


class Command(BaseCommand):
    help = (
        "Create a large programme for load tests: N clusters of six organisations with ten "
        "people each, meetings, registrations, evaluations, mails, self-assessments and plans."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, default=50)
        parser.add_argument("--programme-name", help="Default: 'Skalprov N kluster'.")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="For every seeded user.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices.")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run although DEBUG is off (a load-test server with production settings); "
            "it creates thousands of accounts with one known password.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete a programme of the same name, with its seeded organisations and "
            "people, first.",
        )

    def handle(
        self, *args, clusters, programme_name, password, seed, replace, allow_without_debug, **_
    ):
        if clusters < 1:
            raise CommandError("--clusters must be at least 1.")
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "DEBUG is off: this looks like production. seed_scale creates thousands of "
                "accounts with one known password; add --allow-without-debug on a load-test "
                "server."
            )
        name = programme_name or scale.default_programme_name(clusters)
        started = time.perf_counter()
        with transaction.atomic():
            existing = Programme.objects.filter(name=name).first()
            if existing is not None:
                if not replace:
                    raise CommandError(
                        f"A programme named {name!r} already exists. Use --replace to delete "
                        "it (with its seeded organisations and people) and seed it again."
                    )
                if not scale.is_seeded(existing):
                    raise CommandError(
                        f"The programme {name!r} was not made by seed_scale: it is not replaced."
                    )
                scale.delete_programme(existing)
                self.stdout.write(f"Deleted the programme {name!r}.")
            # One hash for every user: hashing thousands of times would take minutes.
            seeded = scale.seed_programme(
                name=name, clusters=clusters, password_hash=make_password(password), seed=seed
            )
        if connection.vendor == "postgresql":
            # Fresh statistics after a bulk load, as autovacuum would give them a while later:
            # without them the planner takes thousands of rows for one.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Seeded {name!r} in {elapsed:.1f} s:"))
        width = max(len(key) for key in seeded.counts)
        for key, count in seeded.counts.items():
            self.stdout.write(f"  {key.replace('_', ' '):<{width}}  {count:>8,}")
        self.stdout.write(f"Password for every seeded user: {password}")
        self.stdout.write(f"SKR project manager: {seeded.project_manager.email}")
        self.stdout.write(f"Key person (mentor of the first cluster): {seeded.key_person.email}")
