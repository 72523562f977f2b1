from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeclareOutbreakForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    started_on = forms.DateField(label=_("Started on"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseOutbreakForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput(attrs={"type": "date"}))
