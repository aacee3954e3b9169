import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import client_for
from .factories import UserFactory

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    with open(po_path.with_suffix(".mo"), "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)

    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    stale = [
        e.msgid
        for e in catalogue.translated_entries()
        if not e.msgid_plural and compiled.gettext(e.msgid) != e.msgstr
    ]
    assert stale == [], "run `make messages` to compile the catalogue"


def test_swedish_is_the_default_whatever_the_browser_asks(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "sv"
    assert "Logga in" in response.content.decode()


def test_language_saved_on_account_is_used_without_cookie(db):
    person = UserFactory(language="en")

    response = client_for(person).get(reverse("programmes:home"))

    assert response.headers["Content-Language"] == "en"
    assert "My programme" in response.content.decode()


def test_language_switch_sets_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    response = client.get(reverse("accounts:login"))

    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
