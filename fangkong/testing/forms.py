"""Forms of the testing pages; domain rules (jurisdiction, capacity, one tube per round) live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import Region
from fangkong.testing.models import CAPACITIES, PointKind, Purpose, RoundKind

ISO_DATE = "%Y-%m-%d"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.Select | forms.SelectMultiple):
            f.widget.attrs.setdefault("class", "form-select")
        elif isinstance(f.widget, forms.CheckboxInput):
            f.widget.attrs.setdefault("class", "form-check-input")
        else:
            f.widget.attrs.setdefault("class", "form-control")


class PointForm(forms.Form):
    region = UnitChoiceField(label=_("Township or village"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Point name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200)
    opening_hours = forms.CharField(
        label=_("Opening hours"), max_length=100, help_text=_("For example 08:00–12:00, 14:00–18:00.")
    )
    desks = forms.IntegerField(label=_("Sampling desks"), min_value=1, max_value=50, initial=2)
    kind = forms.ChoiceField(label=_("Kind"), choices=PointKind.choices)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]
        _bootstrap(self)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Round name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    units = UnitsChoiceField(label=_("Units"), queryset=Region.objects.none())
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    ends_on = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    min_age = forms.IntegerField(label=_("From age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("To age"), min_value=0, max_value=120, required=False)
    exclude_away = forms.BooleanField(
        label=_("Leave out people away"),
        required=False,
        help_text=_("Registered here but reported in another unit, hand-over pending."),
    )
    exclude_isolated = forms.BooleanField(
        label=_("Leave out people in centralized isolation"),
        required=False,
        help_text=_("Checked in at an isolation site: the site tests them."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        _bootstrap(self)


class CollectForm(forms.Form):
    """The collector's phone page: scan the tube, then the ID number; Enter submits."""

    point = forms.ModelChoiceField(label=_("Testing point"), queryset=Region.objects.none())
    purpose = forms.ChoiceField(label=_("For"), choices=Purpose.choices, initial=Purpose.ROUND)
    round = forms.ModelChoiceField(label=_("Round"), queryset=Region.objects.none(), required=False)
    key_group = forms.ModelChoiceField(label=_("Key group"), queryset=Region.objects.none(), required=False)
    capacity = forms.TypedChoiceField(
        label=_("Tube"),
        choices=[(c, _("single") if c == 1 else _("%(n)d in 1") % {"n": c}) for c in CAPACITIES],
        coerce=int,
        initial=10,
    )
    barcode = forms.CharField(
        label=_("Tube barcode"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "enterkeyhint": "next"}
        ),
    )
    # Not required here: the person may be picked from a search by name or phone instead (`person`).
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "enterkeyhint": "send"}),
    )
    q = forms.CharField(
        label=_("Or find by name or phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
    )
    resample_reason = forms.CharField(label=_("Reason for re-sampling"), max_length=200, required=False)

    def __init__(self, *args: Any, points: Any, rounds: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points  # type: ignore[attr-defined]
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["key_group"].queryset = groups  # type: ignore[attr-defined]
        _bootstrap(self)
        for name in ("barcode", "id_number"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-lg fk-scan"


class ResultUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Lab result file (CSV or XLSX)"),
        help_text=_(
            "Columns: 条码/barcode, 结果/result, and optionally ORF1ab, N, 检测时间/time, 检测机构/lab."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
