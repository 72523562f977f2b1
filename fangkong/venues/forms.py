"""Forms of the venue and family-event pages; the rules are checked in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fangkong.lib.dates import validate_event_day
from fangkong.regions.models import Region
from fangkong.venues.models import EventKind, VenueKind, VenueStatus

ISO_DATE = "%Y-%m-%d"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name}"


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select")
        elif not isinstance(f.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            f.widget.attrs.setdefault("class", "form-control")


def _day(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        validators=[validate_event_day],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )


class VenueForm(forms.Form):
    region = UnitChoiceField(label=_("Unit"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=VenueKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, max_value=100000)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]
        _bootstrap(self)


class VenueNoticeForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of venue"),
        choices=VenueKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=VenueStatus.choices, widget=forms.RadioSelect)
    capacity_percent = forms.IntegerField(
        label=_("Capacity (%)"), required=False, min_value=1, max_value=99, help_text=_("For a limit only.")
    )
    starts_on = _day(_("From"))
    ends_on = _day(_("Until"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class EventForm(forms.Form):
    region = UnitChoiceField(label=_("Unit"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, widget=forms.RadioSelect)
    host_name = forms.CharField(label=_("Host"), max_length=50)
    host_phone = forms.CharField(
        label=_("Host's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    day = _day(_("Day"))
    place = forms.CharField(label=_("Place"), max_length=200)
    expected_guests = forms.IntegerField(label=_("Expected guests"), min_value=1, max_value=10000)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]
        _bootstrap(self)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class CheckForm(forms.Form):
    actual_guests = forms.IntegerField(label=_("Guests found"), min_value=0, max_value=10000)
    compliant = forms.BooleanField(label=_("Held as approved"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
