"""Forms of the briefing pages: picking a day, typing the next steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.briefing.actions import NEXT_STEPS_MAX_LENGTH

# <input type="date"> only accepts ISO dates; without a format Django renders the zh-hans input format
# (2021/08/03), which the browser drops: the field would show empty and lose its value on a re-render.
ISO_DATE = "%Y-%m-%d"


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format=ISO_DATE),
    )


class NextStepsForm(forms.Form):
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=NEXT_STEPS_MAX_LENGTH,
        strip=True,
        help_text=_("One item per line; they appear in section five of the briefing."),
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
    )
