from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarking.forms import ModelMultipleChoiceField, WebAddressInput, form_helper

from .enums import Role
from .models import FactSheet, Organisation


class OrganisationDescriptionForm(forms.ModelForm):
    """What the organisation's key person keeps up to date."""

    class Meta:
        model = Organisation
        fields = ["description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 12}), "website": WebAddressInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Save"))


class OrganisationForm(OrganisationDescriptionForm):
    """Everything about an organisation, for the SKR project manager."""

    class Meta(OrganisationDescriptionForm.Meta):
        fields = ["name", "kind", "kolada_id", "description", "website"]


class OrganisationCreateForm(forms.ModelForm):
    cluster = forms.ModelChoiceField(label=_("Joins the cluster"), queryset=None, empty_label=None)

    class Meta:
        model = Organisation
        fields = ["name", "kind", "kolada_id", "website"]
        widgets = {"website": WebAddressInput}

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.helper = form_helper(_("Add organisation"))


class ClusterCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mentor = forms.ModelChoiceField(label=_("Mentor organisation"), queryset=None)
    organisations = ModelMultipleChoiceField(
        label=_("Benchmarking organisations"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, available, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = available
        self.fields["organisations"].queryset = available
        self.helper = form_helper(_("Create cluster"))

    def clean(self):
        cleaned = super().clean()
        mentor = cleaned.get("mentor")
        if mentor and mentor in cleaned.get("organisations", []):
            self.add_error(
                "organisations",
                _("The mentor organisation cannot also be a benchmarking organisation."),
            )
        return cleaned


class ClusterAddOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, available, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = available
        self.helper = form_helper(_("Add to cluster"))


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    # The column holds 254 characters; the form field alone would allow 320.
    email = forms.EmailField(label=_("E-mail address"), max_length=254)

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit_label or _("Hand over"))


class InvitePersonForm(PersonForm):
    # No role is preselected: a role left as shown once made people SKR project managers.
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose …")), *Role.choices])
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("The municipality or region the person represents. Empty for SKR."),
    )
    is_substitute = forms.BooleanField(label=_("Substitute"), required=False)
    confirm_project_manager = forms.BooleanField(
        label=_(
            "I confirm that this person works at SKR and shall see and change everything in "
            "the programme, including every participant's special needs."
        ),
        required=False,
        help_text=_("Only when the role is SKR project manager."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, submit_label=_("Send invitation"), **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        organisation = cleaned.get("organisation")
        if role == Role.PROJECT_MANAGER:
            if organisation is not None:
                self.add_error(
                    "organisation",
                    _(
                        "An SKR project manager works at SKR, not for %(organisation)s. Leave "
                        "the organisation empty, or choose one of the organisation's roles."
                    )
                    % {"organisation": organisation},
                )
            if not cleaned.get("confirm_project_manager"):
                self.add_error(
                    "confirm_project_manager",
                    _("Confirm that the person shall have SKR's access to the whole programme."),
                )
        elif role and organisation is None:
            self.add_error("organisation", _("Choose the person's organisation."))
        return cleaned


class FactSheetForm(forms.ModelForm):
    """SKR's common template for an organisation's facts, in its four parts."""

    class Meta:
        model = FactSheet
        fields = FactSheet.EDITABLE_FIELDS
        widgets = {
            "decided_on": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
            "decision": forms.Textarea({"rows": 3}),
            "organisation_facts": forms.Textarea({"rows": 3}),
            "goals": forms.Textarea({"rows": 3}),
            "priorities": forms.Textarea({"rows": 3}),
            "communication": forms.Textarea({"rows": 3}),
            "other_facts": forms.Textarea({"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["population_year"].widget.attrs.update({"min": 1950, "max": 2100})
        # The template lays the fields out in the sheet's parts; the helper only adds the button.
        self.helper = form_helper(_("Save"), form_tag=False)
