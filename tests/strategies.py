"""Hypothesis strategies and checks shared by the property tests (``test_properties.py``).

Form data is drawn the way a browser sends it: strings in a MultiValueDict, each field missing,
valid for its field, near its limits, or any text at all.
"""

import datetime
from decimal import Decimal
from io import BytesIO

from django import forms
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Fixtures (the database, `world`) are built once per test, not once per example: the
# examples share them, and each example leaves the data as the next one expects it.
DB_EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PURE_EXAMPLES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Excel's limit for one cell; openpyxl cuts longer text there.
CELL_LIMIT = 32767

# Characters that break, or could break, a document, drawn more often than by chance.
AWKWARD_CHARACTERS = st.one_of(
    st.sampled_from("\ufffe\uffff\x00\x0b\r\x1b\x7f\x85"),  # not in XML, or easily lost
    st.sampled_from("\t\n\xa0\u2028\ufeff\ufffd\U0001f600\U0010ffff"),
    st.sampled_from("=+-@'\"<>&_"),
)
# Any text a person may type or paste. Lone surrogates are left out: request bodies are
# decoded as UTF-8, which cannot carry them, so neither a form nor the database sees one.
CHARACTERS = st.one_of(st.characters(exclude_categories=["Cs"]), AWKWARD_CHARACTERS)
TEXT = st.text(CHARACTERS)
# What the database can store: PostgreSQL refuses NUL in text.
STORABLE_TEXT = st.text(CHARACTERS.filter(lambda character: character != "\x00"))

# Beginnings a spreadsheet program reads as a formula, also behind characters that hide them.
FORMULA_STARTS = st.sampled_from(
    ["=", "+", "-", "@", "==", " =", "\t=", "\r=", "\n=", "\x00=", "\x01+", "\x1b@", "\ufeff="]
)
FORMULAS = st.sampled_from(
    ["", "1+1", "SUM(A1:A9)", "cmd|' /C calc'!A0", 'HYPERLINK("https://x.example","y")']
)


def spreadsheet_text(text=TEXT, *, longest=40000):
    """Text as it reaches an export: anything, formula-like, or longer than a cell holds."""
    return st.one_of(
        text,
        st.tuples(FORMULA_STARTS, FORMULAS, text).map("".join),
        st.tuples(text, st.integers(1, longest)).map(
            lambda pair: ((pair[0] or "x") * (pair[1] // len(pair[0] or "x") + 1))[: pair[1]]
        ),
    )


def storable_spreadsheet_text(limit: int):
    """Spreadsheet text that a column of ``limit`` characters holds (no NUL, for PostgreSQL)."""
    return spreadsheet_text(STORABLE_TEXT, longest=limit).map(
        lambda text: text.replace("\x00", "")[:limit]
    )


def reopened(content: bytes):
    """The saved workbook opened again as a spreadsheet program would see the cells."""
    from openpyxl import load_workbook

    return load_workbook(BytesIO(content))


def assert_no_formulas(workbook) -> None:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def as_written(value: str) -> str:
    """What a text cell holds once written and read again: the documented cleaning
    (``clean_text``), then openpyxl's cut at Excel's cell limit."""
    from benchmarking.excel import clean_text

    return clean_text(value)[:CELL_LIMIT]


# --- forms ---------------------------------------------------------------------------------

JUNK = st.one_of(
    TEXT,
    st.integers().map(str),
    st.decimals().map(str),  # NaN, sNaN, Infinity, 1E+999 ...
    st.floats().map(repr),
    st.dates().map(str),
    st.times().map(str),
    st.sampled_from(
        [
            "",
            "99999999999999999999999",  # no database column holds it
            "\x00",
            "1e9999",
            "3,5",
            "1 234,5",
            "1\xa0234,5",
            "1.234,5",
            "١٢",
            "-1",
            "on",
            "2026-02-30",
            "24:00",
            "9.30",
        ]
    ),
)


def text_of_length(length: int):
    """Text of exactly ``length`` characters that form fields do not strip shorter."""
    return st.text(CHARACTERS, max_size=8).map(lambda head: (head + "å" * length)[:length])


def _choices(field) -> list[str]:
    return [str(value) for value, _label in field.choices if str(value) != ""]


def _decimal_limit(field) -> Decimal:
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(
        -field.decimal_places
    )


def decimal_text(field, language: str = "sv"):
    """A number the field holds, written as people write it in ``language``."""
    limit = _decimal_limit(field)
    low = Decimal(field.min_value) if field.min_value is not None else -limit
    high = Decimal(field.max_value) if field.max_value is not None else limit
    separator = "," if language == "sv" else "."
    return st.decimals(
        min_value=max(low, -limit), max_value=min(high, limit), places=field.decimal_places
    ).map(lambda number: format(number, "f").replace(".", separator))


def valid_values(field):
    """Values a browser would send for a correctly filled-in field (a list, as in a POST)."""
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        choices = _choices(field)
        return st.lists(st.sampled_from(choices), unique=True) if choices else st.just([])
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        choices = _choices(field)
        return st.sampled_from(choices).map(lambda value: [value]) if choices else st.just([])
    if isinstance(field, forms.BooleanField):
        return st.sampled_from([["on"], []])
    if isinstance(field, forms.DecimalField):
        return decimal_text(field).map(lambda value: [value])
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else -(2**31)
        high = field.max_value if field.max_value is not None else 2**31
        return st.integers(low, high).map(lambda value: [str(value)])
    if isinstance(field, forms.DateField):
        return st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)).map(
            lambda day: [day.isoformat()]
        )
    if isinstance(field, forms.TimeField):
        return st.times().map(lambda moment: [moment.strftime("%H:%M")])
    if isinstance(field, forms.EmailField):
        return st.one_of(st.emails(), long_emails()).map(lambda value: [value])
    if isinstance(field, forms.URLField):
        return st.one_of(
            st.just("https://www.example.se/"),
            st.integers(1, 2100).map(lambda n: "https://www.example.se/" + "a" * n),
        ).map(lambda value: [value])
    if isinstance(field, forms.CharField):
        if field.max_length:
            near = st.sampled_from([field.max_length - 1, field.max_length, field.max_length + 1])
            return st.one_of(TEXT, near.flatmap(text_of_length)).map(lambda value: [value])
        return TEXT.map(lambda value: [value])
    return st.just([])


def _email_of_length(length: int) -> str:
    """A valid address of about ``length`` characters (local part at most 64, labels 63)."""
    local = "a" * min(64, length - 5)
    remaining = length - len(local) - len("@") - len(".se")
    labels = []
    while remaining > 0:
        labels.append("b" * min(63, remaining))
        remaining -= len(labels[-1]) + 1
    return f"{local}@{'.'.join(labels) or 'b'}.se"


def long_emails():
    """Valid addresses around the lengths where limits lie: a database column of 254, the
    320 that Django's form field allows."""
    return st.integers(240, 330).map(_email_of_length)


def form_data(data, form) -> MultiValueDict:
    """A POST for ``form``'s fields drawn with ``data``: half of the time every field is valid
    for itself (so that whole forms pass and their cleaned data is checked), else each field
    is missing, valid, or anything."""
    values = MultiValueDict()
    field_by_field = data.draw(st.booleans(), label="each field valid")
    for name, field in form.fields.items():
        if field_by_field:
            drawn_from = [valid_values(field)] + ([] if field.required else [st.none()])
        else:
            drawn_from = [
                st.none(),
                valid_values(field),
                JUNK.map(lambda value: [value]),
                st.lists(JUNK, max_size=3),
            ]
        drawn = data.draw(st.one_of(drawn_from), label=name)
        if drawn is not None:
            values.setlist(form.add_prefix(name), drawn)
    return values


def _messages(form) -> dict[str, set[str]]:
    return {
        name: {message for error in errors for message in error.messages}
        for name, errors in form.errors.as_data().items()
    }


def bind(make_form, data):
    """Bind and validate the data in Swedish and in English; return the Swedish form.

    Validating never raises, and every error is a translated message: a message without a
    Swedish translation reads the same in both languages."""
    bound = {}
    for language in ("sv", "en"):
        with translation.override(language):
            form = make_form(data)
            valid = form.is_valid()
            assert type(valid) is bool
            bound[language] = (form, _messages(form))
    form, swedish = bound["sv"]
    _form, english = bound["en"]
    for name, messages in swedish.items():
        same = messages & english.get(name, set())
        assert not same, f"untranslated error on {name}: {same}"
    return form


def check_cleaned(form, model_fields=None, computed=()) -> None:
    """A valid form's cleaned data keeps the limits of its fields and of the model fields
    (``{form field: model field}``) it is stored in. Fields the form's ``clean()`` computes
    (``computed``) are checked against the model field only."""
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value is None or name in computed:
            continue
        if isinstance(field, forms.CharField) and isinstance(value, str):
            assert "\x00" not in value
            if field.max_length is not None:
                assert len(value) <= field.max_length, name
        if isinstance(field, forms.DecimalField):
            assert value.is_finite()
            assert abs(value) <= _decimal_limit(field), name
            assert -value.as_tuple().exponent <= field.decimal_places, name
        if isinstance(field, (forms.IntegerField, forms.DecimalField)):
            if field.min_value is not None:
                assert value >= field.min_value, name
            if field.max_value is not None:
                assert value <= field.max_value, name
    for name, model_field in (model_fields or {}).items():
        value = form.cleaned_data.get(name)
        if isinstance(value, str) and model_field.max_length is not None:
            assert len(value) <= model_field.max_length, (
                f"{name}: {len(value)} characters pass the form, "
                f"{model_field.model.__name__}.{model_field.name} holds {model_field.max_length}"
            )
        if value is not None:
            model_field.run_validators(value)  # digits of a decimal, range of an integer


def random_valid_form(data, make_form, model_fields=None, computed=()):
    """Draw a POST for the form, bind and validate it (see ``bind``); return the form when it
    is valid, after checking its cleaned data (see ``check_cleaned``), else None."""
    form = bind(make_form, form_data(data, make_form(None)))
    if not form.is_valid():
        return None
    check_cleaned(form, model_fields, computed)
    return form
