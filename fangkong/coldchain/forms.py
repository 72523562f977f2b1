"""Forms of the cold-chain pages; the rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fangkong.coldchain.models import Enterprise, EnterpriseKind, LotTestResult
from fangkong.regions.models import Region

ISO_DATE = "%Y-%m-%d"


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
        f.widget.attrs.setdefault("class", css)


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("Enterprise name"), max_length=100)
    kind = forms.ChoiceField(label=_("Enterprise kind"), choices=EnterpriseKind.choices)
    region = forms.ModelChoiceField(label=_("Unit"), queryset=Region.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]
        _bootstrap(self)


class LotForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    product = forms.CharField(label=_("Product"), max_length=100)
    origin_country = forms.CharField(label=_("Country of origin"), max_length=50)
    port = forms.CharField(label=_("Port of entry"), max_length=50, required=False)
    quantity = forms.CharField(label=_("Quantity"), max_length=50)
    arrived_on = forms.DateField(
        label=_("Arrived on"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    trace_code = forms.CharField(label=_("Trace code"), max_length=64, required=False)

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        _bootstrap(self)


class MailForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Delivery point"), queryset=Enterprise.objects.none())
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    origin_country = forms.CharField(label=_("Country of origin"), max_length=50)
    pieces = forms.IntegerField(label=_("Pieces"), min_value=1, max_value=1_000_000)
    disinfection_certificate = forms.CharField(label=_("Disinfection record"), max_length=64)

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        _bootstrap(self)


class TestForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Test result"),
        choices=[
            (LotTestResult.NEGATIVE, LotTestResult.NEGATIVE.label),
            (LotTestResult.POSITIVE, LotTestResult.POSITIVE.label),
        ],
    )
    reference = forms.CharField(label=_("Certificate number or sample"), max_length=64)


class DisinfectionForm(forms.Form):
    certificate = forms.CharField(label=_("Disinfection certificate"), max_length=64)
