"""Shared form and view helpers."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.core.exceptions import ValidationError
from django.db import transaction


def form_helper(submit_label, *, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.add_input(Submit("submit", submit_label))
    return helper


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
