"""Forms of the control pages; the domain rules (stages, release, rooms) are checked in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fangkong.control.models import (
    SYMPTOMS,
    ContactKind,
    ControlOrder,
    IsolationSite,
    PlaceType,
    Protocol,
    Stay,
    TestResult,
)
from fangkong.lib.dates import validate_event_day
from fangkong.regions.models import Region

ISO_DATE = "%Y-%m-%d"
LOCAL_DT = "%Y-%m-%dT%H:%M"


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            f.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select")
        else:
            f.widget.attrs.setdefault("class", "form-control")


class Bootstrapped(forms.Form):
    # Several forms share the order page: each gets its own element ids.
    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class ProtocolForm(Bootstrapped):
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("An existing code gets a new version.")
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    edition = forms.CharField(label=_("Edition"), max_length=40, required=False)
    lookback_days = forms.IntegerField(label=_("Lookback days"), min_value=1, max_value=60, initial=14)
    stages = forms.CharField(
        label=_("Stages"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One stage per line: kind, days, test days, optionally /follow-ups a day, e.g. 居家隔离 7 2,7 /2"
        ),
    )


class SettingsForm(Bootstrapped):
    id_prefix = "settings"
    transfer_hours = forms.IntegerField(
        label=_("Transfer hours"),
        min_value=1,
        max_value=72,
        help_text=_("A closed-loop transfer not completed this many hours after leaving is flagged."),
    )


class TriggerForm(Bootstrapped):
    key = forms.ChoiceField(label=_("Trigger"))
    protocol = forms.ModelChoiceField(label=_("Protocol"), queryset=Protocol.objects.none())

    def __init__(self, *args: Any, keys: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = keys  # type: ignore[attr-defined]
        self.fields["protocol"].queryset = Protocol.objects.filter(active=True)  # type: ignore[attr-defined]


class FollowUpForm(Bootstrapped):
    id_prefix = "follow"
    temperature = forms.CharField(
        label=_("Temperature (°C)"), max_length=5, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"), choices=SYMPTOMS, required=False, widget=forms.CheckboxSelectMultiple
    )
    at_home = forms.BooleanField(label=_("At home"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CloseForm(Bootstrapped):
    id_prefix = "close"
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("release-early", _("Early release")),
            ("hospital", _("Transfer to hospital")),
            ("cancel", _("Cancel (wrong person)")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ExtendForm(Bootstrapped):
    id_prefix = "extend"
    days = forms.IntegerField(label=_("Extend by days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TestResultForm(Bootstrapped):
    id_prefix = "test"
    sampled_on = forms.DateField(
        label=_("Sampling day"),
        validators=[validate_event_day],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    result = forms.ChoiceField(label=_("Result"), choices=TestResult.choices)


class FamilyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name} · {obj.person.masked_document}"


class JoinChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("Room %(room)s of %(site)s, with %(name)s") % {
            "room": obj.room.number,
            "site": obj.room.site.name,
            "name": obj.order.person.name,
        }


class CheckInForm(Bootstrapped):
    """Check-in: a free room of a site, or the room of a family member already there; family members (other
    orders of the household not yet checked in) share the room."""

    id_prefix = "checkin"
    site = forms.ModelChoiceField(
        label=_("Isolation site"), queryset=IsolationSite.objects.none(), required=False
    )
    join = JoinChoiceField(
        label=_("Or join the room of a family member"), queryset=Stay.objects.none(), required=False
    )
    family = FamilyChoiceField(
        label=_("Family members in the same room"),
        queryset=ControlOrder.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of the same household under control and not yet checked in."),
    )

    def __init__(
        self,
        *args: Any,
        sites: QuerySet[IsolationSite],
        family: QuerySet[ControlOrder] | None = None,
        rooms: QuerySet[Stay] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["family"].queryset = family if family is not None else ControlOrder.objects.none()  # type: ignore[attr-defined]
        self.fields["join"].queryset = rooms if rooms is not None else Stay.objects.none()  # type: ignore[attr-defined]
        if family is None or not family:
            del self.fields["family"]
        if rooms is None or not rooms:
            del self.fields["join"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        join = data.get("join")
        if join is not None:
            data["site"] = join.room.site
        elif data.get("site") is None and "site" not in self.errors:
            self.add_error("site", _("Choose a site."))
        return data


class TransferForm(Bootstrapped):
    id_prefix = "transfer"
    from_place = forms.ChoiceField(label=_("Departure"), choices=PlaceType.choices)
    to_place = forms.ChoiceField(label=_("Destination"), choices=PlaceType.choices)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=40, required=False)
    escort = forms.CharField(label=_("Escort"), max_length=60, required=False)
    left_at = forms.DateTimeField(
        label=_("Left at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DT)
    )
    arrived_at = forms.DateTimeField(
        label=_("Arrived at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DT),
    )


class ContactForm(Bootstrapped):
    id_prefix = "contact"
    name = forms.CharField(label=_("Name"), max_length=100)
    document_number = forms.CharField(label=_("ID number"), max_length=40)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    region = UnitChoiceField(label=_("Village or grid"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    last_exposure = forms.DateField(
        label=_("Last exposure"),
        validators=[validate_event_day],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    place = forms.CharField(label=_("Place of exposure"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username} ({obj.username})"


class StaffForm(Bootstrapped):
    id_prefix = "staff"
    staff = StaffChoiceField(
        label=_("Staff"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, users: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = users  # type: ignore[attr-defined]


class SiteForm(Bootstrapped):
    region = UnitChoiceField(label=_("Unit"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    rooms = forms.CharField(
        label=_("Rooms"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Room numbers separated by spaces or commas; a range like 101-120 is allowed."),
    )

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = units  # type: ignore[attr-defined]


def room_numbers(text: str) -> list[str]:
    """`101-103, 201` → ['101', '102', '103', '201'] (a range of at most 500 rooms)."""
    out: list[str] = []
    for token in text.replace("，", ",").replace(",", " ").split():
        if "-" in token:
            first, _sep, last = token.partition("-")
            if (
                first.isdigit()
                and last.isdigit()
                and int(first) <= int(last)
                and int(last) - int(first) < 500
            ):
                out.extend(str(n) for n in range(int(first), int(last) + 1))
                continue
        out.append(token[:20])
    return out
