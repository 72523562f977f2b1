"""Forms of the checkpoint pages; the rules (temperature, dispositions, jurisdiction) live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.accounts.models import User
from fangkong.checkpoints.actions import TravellerInput
from fangkong.checkpoints.models import (
    DEFAULT_EQUIPMENT,
    CheckpointKind,
    CheckpointStatus,
    CodeColour,
    CrossingKind,
    Disposition,
    Vaccination,
)
from fangkong.regions.models import Region


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        if isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select form-select-lg")
        else:
            f.widget.attrs.setdefault("class", "form-control form-control-lg")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        parent = f"{obj.parent.name} · " if obj.parent_id and obj.level == "grid" else ""
        return f"{parent}{obj.name}"


class CheckpointForm(forms.Form):
    name = forms.CharField(label=_("Checkpoint name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=CheckpointKind.choices)
    road = forms.CharField(label=_("Road"), max_length=100, required=False)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    region = UnitChoiceField(label=_("Unit"), queryset=Region.objects.none())
    supervising_unit = UnitChoiceField(label=_("Supervising unit"), queryset=Region.objects.none())
    equipment = forms.CharField(
        label=_("Equipment checklist"),
        initial="\n".join(DEFAULT_EQUIPMENT),
        help_text=_("One item per line."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, units: QuerySet[Region], users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]
        self.fields["supervising_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["staff"].queryset = users  # type: ignore[attr-defined]
        _bootstrap(self)

    def items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["equipment"].splitlines() if line.strip()]


class CheckpointEditForm(forms.Form):
    """Status, equipment checklist and staff of an existing checkpoint."""

    status = forms.ChoiceField(label=pgettext_lazy("checkpoint", "Status"), choices=CheckpointStatus.choices)
    equipment = forms.CharField(
        label=_("Equipment checklist"),
        help_text=_("One item per line."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # The checkpoint's version when the form was opened: a stale save is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = users  # type: ignore[attr-defined]
        _bootstrap(self)

    def items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["equipment"].splitlines() if line.strip()]


class ShiftStartForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Equipment present"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, equipment: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(item, item) for item in equipment]  # type: ignore[attr-defined]


class CrossingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Person or vehicle"),
        choices=CrossingKind.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    plate = forms.CharField(label=_("Plate"), max_length=20, required=False)
    origin = forms.CharField(
        label=_("Coming from"), max_length=100, help_text=_("Province, city, county (as on the trip card).")
    )
    destination = forms.CharField(label=_("Going to"), max_length=100, required=False)
    destination_region = UnitChoiceField(
        label=_("Destination village (to register with the grid)"),
        queryset=Region.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, villages: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_region"].queryset = villages  # type: ignore[attr-defined]
        _bootstrap(self)


class TravellerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    is_driver = forms.BooleanField(label=_("Driver"), required=False)
    health_code = forms.ChoiceField(
        label=_("Health code"), choices=(), widget=forms.RadioSelect(attrs={"class": "btn-check"})
    )
    trip_star = forms.BooleanField(label=_("Trip card starred (*)"), required=False)
    trip_cities = forms.CharField(label=_("Cities on the trip card"), max_length=200, required=False)
    vaccination = forms.ChoiceField(
        label=_("Vaccination"), choices=Vaccination.choices, initial=Vaccination.FULL
    )
    temperature = forms.CharField(
        label=_("Temperature (°C)"),
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    temperature_again = forms.CharField(
        label=_("Re-measured (°C)"),
        max_length=5,
        required=False,
        help_text=_("Only when the first reading is 37.3 °C or more."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    wears_mask = forms.BooleanField(label=_("Wears a mask"), required=False, initial=True)
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        choices=Disposition.choices,
        initial=Disposition.PASS,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    clinic = forms.CharField(label=_("Fever clinic"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["health_code"].choices = [  # type: ignore[attr-defined]
            (c.code, c.name) for c in CodeColour.objects.all()
        ]
        self.fields["health_code"].initial = "green"
        _bootstrap(self)

    def as_input(self) -> TravellerInput:
        d = self.cleaned_data
        return TravellerInput(
            name=d["name"],
            document_number=d["document_number"],
            phone=d["phone"],
            is_driver=d["is_driver"],
            health_code=d["health_code"],
            trip_star=d["trip_star"],
            trip_cities=d["trip_cities"],
            vaccination=d["vaccination"],
            temperature=d["temperature"],
            temperature_again=d["temperature_again"],
            wears_mask=d["wears_mask"],
            disposition=d["disposition"],
            clinic=d["clinic"],
        )


TravellerFormSet = forms.formset_factory(TravellerForm, extra=0, min_num=1, max_num=8, validate_max=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class SpotCheckForm(forms.Form):
    staff_present = forms.IntegerField(label=_("Staff present"), min_value=0, max_value=100)
    off_post = forms.BooleanField(label=_("Staff off post (脱岗)"), required=False)
    drinking = forms.BooleanField(label=_("Drinking on duty (饮酒)"), required=False)
    registrations_complete = forms.BooleanField(
        label=_("Registrations complete"), required=False, initial=True
    )
    equipment_complete = forms.BooleanField(label=_("Equipment present"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label=_("Photos"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ReferralForm(forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("referral", "Status"), choices=())
    outcome = forms.CharField(label=pgettext_lazy("referral", "Outcome"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from fangkong.checkpoints.models import ReferralStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            c for c in ReferralStatus.choices if c[0] != ReferralStatus.REFERRED
        ]
        _bootstrap(self)
