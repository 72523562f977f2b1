"""Forms of the field-work pages; domain validation (jurisdiction, schedules, ownership) happens in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.fieldwork.actions import MAX_AREA_M2, MAX_EVERY_DAYS, MAX_LITRES
from fangkong.fieldwork.models import DisinfectionPlace, PlaceKind, TaskKind, TeamKind, TeamMember
from fangkong.lib.photos import CleanPhoto, clean_photo
from fangkong.regions.models import Region


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name}"


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select")
        elif not isinstance(f.widget, forms.CheckboxInput):
            f.widget.attrs.setdefault("class", "form-control")


def _photo_field() -> forms.FileField:
    return forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("Optional. JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class PhotoMixin:
    """`photo` comes out of cleaning re-encoded (lib/photos.py: checked in a guarded child process), or None."""

    cleaned_data: dict[str, Any]

    def clean_photo(self) -> CleanPhoto | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return clean_photo(upload, upload.size)


class PlaceForm(forms.Form):
    region = UnitChoiceField(label=_("Unit"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("Kind of place"), choices=PlaceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]
        _bootstrap(self)


class DisinfectionForm(PhotoMixin, forms.Form):
    area_m2 = forms.IntegerField(
        label=_("Area (m²)"),
        min_value=1,
        max_value=MAX_AREA_M2,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    agent = forms.CharField(label=_("Disinfectant"), max_length=60, initial="含氯消毒液")
    concentration = forms.CharField(label=_("Concentration"), max_length=40, initial="500 mg/L")
    done_at = forms.DateTimeField(
        label=_("Disinfected at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    litres = forms.IntegerField(
        label=_("Disinfectant drawn from the warehouse (L)"),
        min_value=0,
        max_value=MAX_LITRES,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    photo = _photo_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class TeamForm(forms.Form):
    region = UnitChoiceField(label=_("Village or township"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    is_party_team = forms.BooleanField(label=_("Party-member team (党员先锋队)"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]
        _bootstrap(self)


class MemberForm(forms.Form):
    username = forms.CharField(
        label=_("Account (user name)"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for a member without an account."),
    )
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices)
    title = forms.CharField(label=_("Task"), max_length=200, required=False)
    assignee = forms.ModelChoiceField(
        label=_("Member"), queryset=TeamMember.objects.none(), required=False, empty_label=_("The whole team")
    )
    place = forms.ModelChoiceField(
        label=_("Place to disinfect"), queryset=DisinfectionPlace.objects.none(), required=False
    )
    household = forms.UUIDField(label=_("Household (uuid)"), required=False)
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    every_days = forms.IntegerField(
        label=_("Repeat every (days)"),
        min_value=1,
        max_value=MAX_EVERY_DAYS,
        required=False,
        help_text=_("For a recurring task, e.g. 1 for a market disinfected daily; empty for once."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(
        self, *args: Any, members: QuerySet[TeamMember], places: QuerySet[DisinfectionPlace], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members  # type: ignore[attr-defined]
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        _bootstrap(self)


class DoneForm(PhotoMixin, forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("field work", "What was done"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = _photo_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
