from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarking.forms import form_helper
from programmes.enums import ORGANISATION_ROLES, Role

from .enums import ActionStatus
from .models import ImprovementAction


class ActionForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ImprovementAction.EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea({"rows": 4}),
            "starts_on": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
            "due_on": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = people
        self.fields["responsible_role"].choices = [("", "—")] + [
            (role.value, role.label) for role in Role if role in ORGANISATION_ROLES
        ]
        self.helper = form_helper(_("Save"))

    def clean(self):
        cleaned = super().clean()
        starts, due = cleaned.get("starts_on"), cleaned.get("due_on")
        if starts and due and due < starts:
            # On the field, before the model's constraint would say it in the database's words.
            self.add_error("due_on", _("The due date is before the start."))
        return cleaned


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("Follow-up"),
        widget=forms.Textarea({"rows": 3}),
        max_length=4000,
        help_text=_("What has happened since last time, and what comes next."),
    )
    status = forms.ChoiceField(label=_("Status now"), choices=ActionStatus.choices)
    meeting = forms.TypedChoiceField(label=_("For the meeting"), required=False, empty_value=None)

    def __init__(self, *args, meetings, action_url="", **kwargs):
        super().__init__(*args, **kwargs)
        # A list read once for all the page's forms, not a query per form.
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [("", _("Choose …"))] + [
            (str(m.pk), m.get_kind_display()) for m in meetings
        ]
        self.fields["meeting"].coerce = self.meetings.get
        self.helper = form_helper(_("Add follow-up"))
        self.helper.form_action = action_url
