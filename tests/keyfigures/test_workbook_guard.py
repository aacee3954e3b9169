"""The key-figure values upload refuses a workbook that would stall a worker (one row of
1.85 million cells) in under a second, and saves nothing."""

import io
import time

from openpyxl import Workbook

from keyfigures.models import KpiValue

from ..conftest import client_for
from ..workbooks import one_huge_row
from .conftest import upload_values


def test_values_upload_refuses_a_stalling_workbook(chosen, world, uppsala):
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Nyckeltal", "År", "Kvinnor", "Män", "Totalt"])
    workbook.save(buffer)
    content = one_huge_row(buffer.getvalue())
    client = client_for(world.key_person)

    started = time.perf_counter()
    response = upload_values(client, world, uppsala, "varden.xlsx", content)
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert "Arbetsboken har fler celler än Jämbench läser" in response.text
    assert elapsed < 1.0
    assert not KpiValue.objects.exists()
