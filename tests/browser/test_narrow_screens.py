"""Pages fit a 320 px screen (WCAG 1.4.10, reflow): nothing but a table that scrolls on its
own may be wider, whatever people type (a 300-character word made pages 3,320 px wide)."""

import pytest
from django.urls import reverse

from ..factories import PASSWORD
from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

LONG_WORD = "Jämställdhets" + "integrering" * 27
LONG_ADDRESS = "https://www.example.se/" + "underliggande-sida/" * 9  # the column holds 200

# The width of the page, and the elements that stick out of it outside a scrolling table.
MEASURE = """() => {
  const width = window.innerWidth;
  const outside = [];
  for (const element of document.querySelectorAll("body *")) {
    if (element.closest(".table-responsive") || !element.getClientRects().length) continue;
    const box = element.getBoundingClientRect();
    if (box.right > width + 1) outside.push(element.tagName + " " + element.className);
  }
  return {page: document.documentElement.scrollWidth, outside: outside.slice(0, 5)};
}"""


@pytest.fixture
def long_texts(world):
    mentor = world.mentor
    mentor.description = f"{LONG_WORD} {LONG_ADDRESS}"
    mentor.website = LONG_ADDRESS
    mentor.save()
    meeting = world.cluster.meetings.order_by("sequence").first()
    meeting.venue = LONG_WORD[:200]
    meeting.save()
    return meeting


def _pages(world, meeting):
    cluster, programme = world.cluster, world.programme
    common = [
        reverse("programmes:home"),
        reverse("programmes:cluster_detail", kwargs={"pk": cluster.pk}),
        reverse("programmes:organisation_detail", kwargs={"pk": world.mentor.pk}),
        reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk}),
    ]
    return {
        world.key_person: [
            *common,
            reverse("meetings:meeting_plan", kwargs={"pk": meeting.pk}),
            reverse("programmes:organisation_update", kwargs={"pk": world.mentor.pk}),
        ],
        world.project_manager: [
            *common,
            reverse("programmes:programme_manage", kwargs={"pk": programme.pk}),
            reverse("programmes:programme_overview", kwargs={"pk": programme.pk}),
            reverse("programmes:person_invite", kwargs={"pk": programme.pk}),
        ],
    }


def test_pages_fit_a_320_px_screen_with_long_words(new_page, world, long_texts):
    too_wide = {}
    for user, urls in _pages(world, long_texts).items():
        page = new_page(viewport={"width": 320, "height": 640})
        log_in(page, user.email, PASSWORD)
        for url in urls:
            page.goto(url)
            measured = page.evaluate(MEASURE)
            if measured["page"] > 320 or measured["outside"]:
                too_wide[url] = measured
        screenshot(page, f"narrow-320-{user.full_name.split()[-1].lower()}")

    assert too_wide == {}
