from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarking.forms import form_helper

from .models import COMMENT_MAX_LENGTH, AssessmentRound, ChecklistVersion

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ChecklistUploadForm(forms.Form):
    file = forms.FileField(
        label=_("SKR's checklist (Excel, .xlsx)"),
        widget=forms.ClearableFileInput({"accept": XLSX_ACCEPT}),
        help_text=_(
            "A sheet “Checklista” with the columns Område, Nr and Påstående (optionally "
            "Område (en), Statement (en), Vägledning) and a sheet “Skala” with Värde and Nivå."
        ),
    )
    name = forms.CharField(
        label=_("Name of the version"),
        max_length=200,
        required=False,
        help_text=_("For example “Checklist 2026”. Empty: the file's name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Import"))


class RoundForm(forms.ModelForm):
    class Meta:
        model = AssessmentRound
        fields = ["name", "due_on", "version"]
        widgets = {"due_on": forms.DateInput({"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "name": _("For example “Baseline”, “Follow-up” or “Final assessment”."),
            "due_on": _("When the organisations should have submitted."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = ChecklistVersion.objects.all()
        self.fields["version"].empty_label = None
        if self.instance.pk and self.instance.assessments.exists():
            self.fields["version"].disabled = True
            self.fields["version"].help_text = _(
                "Organisations have started this round; its checklist version is fixed."
            )
        self.helper = form_helper(_("Save"))


def level_choices(levels) -> list[tuple]:
    """The level radios' choices: “not assessed”, then each level of the scale."""
    return [("", _("Not assessed"))] + [
        (level.value, f"{level.value} – {level.localized('label')}") for level in levels
    ]


class AnswerForm(forms.Form):
    """One statement's answer; the page has one per statement and saves each as it changes.

    checklists/assessment_detail.html writes these inputs as plain markup (same names, ids
    and attributes) for speed: keep the two in step.
    """

    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect({"class": "form-check-input"}),
    )
    needs_improvement = forms.BooleanField(
        label=_("Needs improvement"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea({"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, levels, statement, **kwargs):
        kwargs.setdefault("auto_id", f"id_s{statement.pk}_%s")
        super().__init__(*args, **kwargs)
        self.statement = statement
        self.fields["level"].choices = level_choices(levels)


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in workbook (.xlsx)"),
        widget=forms.ClearableFileInput({"accept": XLSX_ACCEPT}),
        help_text=_("The workbook downloaded from this page, with the levels filled in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Upload and save"))
