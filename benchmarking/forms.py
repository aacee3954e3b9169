"""Shared form and view helpers."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

# The largest id a table holds (BigAutoField).
LARGEST_ID = 2**63 - 1


def form_helper(submit_label, *, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.add_input(Submit("submit", submit_label))
    return helper


class WebAddressInput(forms.TextInput):
    """A web address as people write it ("goteborg.se"). The browser's own check of
    ``type=url`` wants a scheme and refused such an address before the form could add one
    (``URLField`` assumes https)."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "url", "autocomplete": "url", "spellcheck": "false", **(attrs or {})}
        )


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id no table can hold before asking the database: SQLite raises
    OverflowError for one in an ``__in`` lookup, so a crafted POST was a server error."""

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else []:
            try:
                too_large = abs(int(pk)) > LARGEST_ID
            except (TypeError, ValueError):
                continue  # not a number: the field says so itself
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class ServiceFormMixin:
    """``form_valid`` runs ``perform(form)`` in a transaction; a ValidationError becomes a form
    error and nothing is saved."""

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.result = self.perform(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        return super().form_valid(form)
