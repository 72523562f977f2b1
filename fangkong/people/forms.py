from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.people.models import DocumentType, Sex
from fangkong.regions.models import Level, Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class PersonForm(forms.Form):
    """Registration and edit form; domain validation (ID check digit, phone) happens in the action."""

    name = forms.CharField(label=_("Name"), max_length=100)
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        # type=tel for the phone keypad; a cadre types a resident's number, so no autofill of their own.
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=Sex.choices,
        initial=Sex.UNKNOWN,
        required=False,
        help_text=_("Taken from the ID number when there is one."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    household_number = forms.CharField(label=_("Household number"), max_length=32, required=False)
    region = RegionChoiceField(label=_("Village or grid"), queryset=Region.objects.none())
    # The person's version when the form was opened (edit only): a stale save is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = regions.filter(level__in=[Level.VILLAGE, Level.GRID]).order_by("path")
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.CharField(required=False)


class TransferDeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("Why the person stays here")}
        ),
    )
