"""Forms of the vaccination pages; the domain checks (dose, dates, duplicates) happen in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fangkong.lib.dates import validate_event_day
from fangkong.regions.models import Region
from fangkong.vaccination.actions import MAX_DOSE_NUMBER
from fangkong.vaccination.models import (
    AgeBand,
    KeyGroup,
    NotVaccinatedReason,
    VaccinationSite,
    VaccineProduct,
)

ISO_DATE = "%Y-%m-%d"
MAX_UPLOAD_BYTES = 50 << 20


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select")
        elif not isinstance(f.widget, forms.CheckboxInput):
            f.widget.attrs.setdefault("class", "form-control")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export of the vaccination system (CSV or XLSX)"),
        help_text=_(
            "Columns: 身份证号, 疫苗名称, 生产企业, 剂次, 接种日期, 接种单位, 批号 (or their English names)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.region.name}"


class DoseForm(forms.Form):
    """A dose registered at a site: the person is found by document number in the user's jurisdiction."""

    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
        help_text=_("Scan or type the ID number of the person vaccinated."),
    )
    product = forms.ModelChoiceField(label=_("Product"), queryset=VaccineProduct.objects.all())
    dose_number = forms.IntegerField(label=_("Dose number"), min_value=1, max_value=MAX_DOSE_NUMBER)
    vaccinated_on = forms.DateField(
        label=_("Vaccination date"),
        validators=[validate_event_day],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    site = SiteChoiceField(label=_("Site"), queryset=VaccinationSite.objects.none())
    lot = forms.CharField(label=_("Lot"), max_length=50, required=False)

    def __init__(self, *args: Any, sites: QuerySet[VaccinationSite], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.ModelChoiceField)  # noqa: S101
        site_field.queryset = sites
        _bootstrap(self)


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=NotVaccinatedReason.choices)
    scheduled_on = forms.DateField(
        label=_("Scheduled for"),
        required=False,
        validators=[validate_event_day],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class TargetForm(forms.Form):
    region = UnitChoiceField(label=_("Unit"), queryset=Region.objects.none())
    band = forms.ModelChoiceField(
        label=_("Age band"), queryset=AgeBand.objects.all(), required=False, empty_label=_("(all ages)")
    )
    group = forms.ModelChoiceField(
        label=_("Key group"), queryset=KeyGroup.objects.all(), required=False, empty_label=_("(none)")
    )
    rate = forms.DecimalField(
        label=_("Target rate (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)  # noqa: S101
        region_field.queryset = units
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("band") and data.get("group"):
            raise forms.ValidationError(_("A target is for an age band or a key group, not both."))
        return data


class MemberForm(forms.Form):
    """A person put into a key group, found by document number inside the user's jurisdiction."""

    group = forms.ModelChoiceField(label=_("Key group"), queryset=KeyGroup.objects.all(), empty_label=None)
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Scan or type the ID number of the person."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class SiteForm(forms.Form):
    region = UnitChoiceField(label=_("Unit"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Site"), max_length=100)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)  # noqa: S101
        region_field.queryset = units
        _bootstrap(self)
