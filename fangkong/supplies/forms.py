"""Forms of the supplies pages; the stock rules (no negative stock, FEFO) live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import Region
from fangkong.supplies.actions import MAX_QUANTITY
from fangkong.supplies.models import SupplyItem, Warehouse

ISO_DATE = "%Y-%m-%d"


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select")
        else:
            f.widget.attrs.setdefault("class", "form-control")


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit_of_measure}）"


def _item() -> ItemChoiceField:
    return ItemChoiceField(label=_("Item"), queryset=SupplyItem.objects.all())


def _quantity(label: Any = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("Quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _reason() -> forms.CharField:
    return forms.CharField(label=_("Reason"), max_length=200)


class Prefixed(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.form_prefix)
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    form_prefix = ""


class ReceiveForm(Prefixed):
    form_prefix = "in"
    item = _item()
    quantity = _quantity()
    lot_number = forms.CharField(label=_("Lot number"), max_length=50, required=False)
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    reason = _reason()


class IssueForm(Prefixed):
    form_prefix = "out"
    item = _item()
    quantity = _quantity()
    reason = _reason()


class WarehouseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.region.name}"


class TransferForm(Prefixed):
    form_prefix = "tr"
    item = _item()
    quantity = _quantity()
    target = WarehouseChoiceField(label=_("To warehouse"), queryset=Warehouse.objects.none())
    reason = _reason()

    def __init__(self, *args: Any, targets: QuerySet[Warehouse], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = targets


class ThresholdForm(Prefixed):
    form_prefix = "th"
    item = _item()
    threshold = forms.IntegerField(label=_("Reorder threshold"), min_value=0, max_value=MAX_QUANTITY)


class CountForm(Prefixed):
    form_prefix = "count"
    counted = forms.IntegerField(label=_("Quantity counted"), min_value=0, max_value=MAX_QUANTITY)
    reason = _reason()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class WarehouseForm(Prefixed):
    form_prefix = ""
    region = UnitChoiceField(label=_("Unit"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Warehouse name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = units
