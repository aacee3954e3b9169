import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarking.forms import form_helper

from .enums import AgendaFormat, Attendance, Diet, DocumentKind, VenueFeature
from .uploads import check_document


class MeetingPlanForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput({"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Starts"), required=False, widget=forms.TimeInput({"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Ends"), required=False, widget=forms.TimeInput({"type": "time"})
    )
    host = forms.ModelChoiceField(label=_("Host organisation"), queryset=None, required=False)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    venue_address = forms.CharField(
        label=_("Address and directions"), required=False, widget=forms.Textarea({"rows": 3})
    )
    remote_link = forms.URLField(
        label=_("Link for remote participation"), max_length=200, required=False
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Venue checklist"),
        choices=VenueFeature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what the venue offers. Participants see it in the invitation."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = organisations
        self.helper = form_helper(_("Save"))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    title_en = forms.CharField(
        label=_("Title in English (optional)"), max_length=300, required=False
    )
    start = forms.TimeField(
        label=_("Starts"),
        required=False,
        widget=forms.TimeInput({"type": "time"}),
        help_text=_("Leave empty to start when the previous item ends."),
    )
    end = forms.TimeField(
        label=_("Ends"),
        required=False,
        widget=forms.TimeInput({"type": "time"}),
        help_text=_("Give an end time or a duration."),
    )
    duration = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, required=False
    )
    format = forms.ChoiceField(label=_("Format"), choices=AgendaFormat.choices)
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=None, required=False
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=None, required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))
    notes_en = forms.CharField(
        label=_("Notes in English (optional)"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = organisations
        self.fields["responsible_person"].queryset = people
        self.helper = form_helper(_("Save item"))

    def clean(self):
        cleaned = super().clean()
        start, end, duration = cleaned.get("start"), cleaned.get("end"), cleaned.get("duration")
        if end is not None:
            if start is None:
                self.add_error("start", _("Give a start time together with the end time."))
            elif end <= start:
                self.add_error("end", _("The item ends before it starts. Check the times."))
            else:
                base = datetime.date(2000, 1, 1)
                minutes = (
                    datetime.datetime.combine(base, end) - datetime.datetime.combine(base, start)
                ).seconds // 60
                if duration and duration != minutes:
                    self.add_error(
                        "duration", _("The duration does not match the start and end times.")
                    )
                cleaned["duration"] = minutes
        elif not duration and "duration" not in self.errors:
            self.add_error("duration", _("Give a duration or an end time."))
        return cleaned

    def item_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "title_en": data["title_en"],
            "fixed_start": data["start"],
            "duration": data["duration"],
            "format": data["format"],
            "responsible_organisation": data["responsible_organisation"],
            "responsible_person": data["responsible_person"],
            "notes": data["notes"],
            "notes_en": data["notes_en"],
        }


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, PowerPoint, Excel, PNG or JPEG, at most 25 MB."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = form_helper(_("Upload"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.content_type = check_document(uploaded)
        return uploaded


class RegistrationForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Will you come?"), choices=Attendance.choices, widget=forms.RadioSelect
    )
    diets = forms.MultipleChoiceField(
        label=_("Special diet"),
        choices=Diet.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    diet_other = forms.CharField(label=_("Other diet or allergy"), max_length=300, required=False)
    hearing_loop = forms.BooleanField(label=_("I need a hearing loop"), required=False)
    accessibility = forms.CharField(
        label=_("Accessibility needs"),
        max_length=300,
        required=False,
        help_text=_("For example wheelchair access or a seat near the exit."),
    )
    other_needs = forms.CharField(label=_("Anything else"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Send my answer"))


class EvaluationForm(forms.Form):
    """One rating (1–5) per question of the built-in evaluation, and a free comment."""

    comment = forms.CharField(
        label=_("What was best, and what could be better?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea({"rows": 4}),
    )

    def __init__(self, *args, questions, scale, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = scale["min"], scale["max"]
        choices = [(str(value), str(value)) for value in range(low, high + 1)]
        for question in questions:
            self.fields[f"q_{question.key}"] = forms.ChoiceField(
                label=question.text, choices=choices, widget=forms.RadioSelect
            )
        self.fields["comment"] = self.fields.pop("comment")  # last
        self.question_keys = [q.key for q in questions]
        self.helper = form_helper(_("Send my evaluation"))

    def ratings(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[f"q_{key}"]) for key in self.question_keys}
