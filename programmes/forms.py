from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarking.forms import ModelMultipleChoiceField, form_helper

from .enums import Role
from .models import Organisation


class OrganisationDescriptionForm(forms.ModelForm):
    """What the organisation's key person keeps up to date."""

    class Meta:
        model = Organisation
        fields = ["description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 12})}

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
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for an SKR project manager."),
    )
    is_substitute = forms.BooleanField(label=_("Substitute"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, submit_label=_("Send invitation"), **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and role != Role.PROJECT_MANAGER and not cleaned.get("organisation"):
            self.add_error("organisation", _("Choose the person's organisation."))
        return cleaned
