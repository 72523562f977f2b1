"""Forms of the medical surveillance pages; rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.clinics.actions import RecordInput
from fangkong.clinics.models import Medicine, RecordKind
from fangkong.regions.models import Region


class HomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.RadioSelect | forms.CheckboxInput):
            continue
        css = (
            "form-select form-select-lg"
            if isinstance(f.widget, forms.Select)
            else "form-control form-control-lg"
        )
        f.widget.attrs.setdefault("class", css)


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Registration"), choices=RecordKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=100)
    document_number = forms.CharField(label=_("Document number"), max_length=40)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    home = HomeChoiceField(
        label=_("Home village"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("For a person not yet registered; leave empty for this facility's village."),
    )
    medicine = forms.ChoiceField(label=_("Medicine"), choices=[("", "—"), *Medicine.choices], required=False)
    temperature = forms.CharField(
        label=_("Temperature (°C)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    symptoms = forms.CharField(label=_("Symptoms"), max_length=200, required=False)
    epidemiological_history = forms.CharField(
        label=_("Epidemiological history"), max_length=200, required=False
    )
    sampled = forms.BooleanField(label=_("Sampled for testing"), required=False)

    def __init__(self, *args: Any, villages: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home"].queryset = villages  # type: ignore[attr-defined]
        _bootstrap(self)

    def as_input(self) -> RecordInput:
        d = self.cleaned_data
        return RecordInput(
            kind=d["kind"],
            name=d["name"],
            document_number=d["document_number"],
            phone=d["phone"],
            home=d["home"],
            medicine=d["medicine"],
            temperature=d["temperature"],
            symptoms=d["symptoms"],
            epidemiological_history=d["epidemiological_history"],
            sampled=d["sampled"],
        )


class LedgerForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger (CSV or XLSX)"),
        help_text=_("Columns: 姓名, 证件号码, 药品类别 (退烧/止咳/抗生素/抗病毒), 手机号."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx", "class": "form-control"}),
    )


class FollowUpForm(forms.Form):
    outcome = forms.CharField(label=pgettext_lazy("follow-up", "Outcome"), max_length=200)
