"""Forms of the duty pages; domain validation (leave, clashes, jurisdiction) happens in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.accounts.models import User
from fangkong.regions.models import Region

# <input type="date"> only accepts ISO dates; without a format Django renders the zh-hans input format
# (2021/08/03), which the browser drops: the field would show empty and lose its value on a re-render.
ISO_DATE = "%Y-%m-%d"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        region = f" · {obj.region.name}" if obj.region_id else ""
        return f"{obj}{region}"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select")
        else:
            f.widget.attrs.setdefault("class", "form-control")


class ShiftForm(forms.Form):
    """A shift of a unit's roster (local Beijing times in the browser's datetime-local fields)."""

    region = UnitChoiceField(label=_("Duty unit"), queryset=Region.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    person_on_duty = UserChoiceField(label=_("Person on duty"), queryset=User.objects.none())
    leader_on_call = UserChoiceField(label=_("Leader on call"), queryset=User.objects.none(), required=False)
    phone = forms.CharField(
        label=_("Duty phone"),
        max_length=30,
        required=False,
        help_text=_("Leave blank to use the phone of the person on duty."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    # The shift's version when the form was opened (edit only): a stale save is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: QuerySet[Region], users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, qs in (("region", units), ("person_on_duty", users), ("leader_on_call", users)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
            field.queryset = qs
        _bootstrap(self)


class CheckInForm(forms.Form):
    note = forms.CharField(
        label=_("Check-in note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandoverForm(forms.Form):
    handover_note = forms.CharField(
        label=_("Hand-over note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class LeaveForm(forms.Form):
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    ends_on = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    destination = forms.CharField(label=_("Destination"), max_length=200)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", pgettext_lazy("leave", "Approve")), ("refuse", _("Refuse"))]
    )
    decision_note = forms.CharField(
        label=pgettext_lazy("leave decision", "Note"), required=False, max_length=2000
    )
