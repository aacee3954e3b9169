import pytest
from django.core.management import CommandError, call_command


def test_export_samples_writes_every_document_kind(db, tmp_path):
    call_command("seed_demo")

    call_command("export_samples", str(tmp_path))

    written = sorted(path.suffix for path in tmp_path.iterdir())
    assert written == [".docx"] * 5 + [".pdf"] * 4 + [".pptx", ".xlsx", ".xlsx", ".xlsx"]
    assert all(path.stat().st_size > 1000 for path in tmp_path.iterdir())
    # The agenda of every meeting type, as PDF and Word.
    for kind in ("startup", "benchmarking_1", "benchmarking_2", "benchmarking_3"):
        assert len(list(tmp_path.glob(f"*-{kind}-*.pdf"))) == 1
        assert len(list(tmp_path.glob(f"*-{kind}-*.docx"))) == 1


def test_export_samples_without_demo_data_says_what_to_do(db, tmp_path):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("export_samples", str(tmp_path))
