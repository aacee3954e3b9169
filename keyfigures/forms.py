from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarking.forms import form_helper

from .enums import ThresholdKind
from .models import CauseWorksheet

XLSX_OR_CSV = (
    ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class KpiSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search Kolada's key figures"),
        max_length=200,
        help_text=_("A word from the title, e.g. “sjukfrånvaro”, “ekonomiskt bistånd”, “N00945”."),
    )


class OwnKpiForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    unit = forms.CharField(label=_("Unit"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Add key figure"))


class ThresholdForm(forms.Form):
    threshold_kind = forms.ChoiceField(
        label=_("Deviation measured as"), choices=ThresholdKind.choices, widget=forms.RadioSelect
    )
    threshold = forms.DecimalField(
        label=_("Largest acceptable deviation"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text=_(
            "How large may the difference between women and men be before action is taken? "
            "Empty: no threshold."
        ),
    )
    motivation = forms.CharField(
        label=_("Why this key figure, and why this threshold"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save"))


class YearValuesForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    women = forms.DecimalField(
        label=_("Women"), required=False, max_digits=14, decimal_places=4, localize=True
    )
    men = forms.DecimalField(
        label=_("Men"), required=False, max_digits=14, decimal_places=4, localize=True
    )
    total = forms.DecimalField(
        label=_("Total"), required=False, max_digits=14, decimal_places=4, localize=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save"))

    def clean(self):
        data = super().clean()
        if all(data.get(key) is None for key in ("women", "men", "total")):
            raise forms.ValidationError(_("Give at least one value."))
        return data


class ValuesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (Excel .xlsx or CSV)"),
        widget=forms.ClearableFileInput({"accept": XLSX_OR_CSV}),
        help_text=_(
            "A first row naming the columns Nyckeltal (the key figure's id), År, Kvinnor, Män "
            "and Totalt; one row per key figure and year."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Upload values"))


class CauseWorksheetForm(forms.ModelForm):
    """SKR's worksheet for finding the causes of a deviation, for a working group."""

    class Meta:
        model = CauseWorksheet
        fields = CauseWorksheet.EDITABLE_FIELDS
        widgets = {
            name: forms.Textarea({"rows": 3})
            for name in [*CauseWorksheet.CAUSE_FIELDS, "evidence", "decision"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save the worksheet"))
