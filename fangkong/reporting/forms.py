"""HTML forms of the reporting pages; the actions validate the domain rules again."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.lib.dates import day_error, parse_day
from fangkong.reporting.models import (
    MAX_FIGURE,
    Decision,
    Indicator,
    IndicatorKind,
    IndicatorUnit,
    UrgentKind,
)

# <input type="date"> only accepts ISO dates; without a format Django renders the zh-hans input format
# (2021/08/03), which the browser drops: the field would show empty and lose its value on a re-render.
ISO_DATE = "%Y-%m-%d"


class FilingForm(forms.Form):
    """One number field per active indicator, prefilled from the records, and the day the figures are for.

    The day travels with the form, so a form opened at 23:59 and sent after midnight files for the day it
    showed, never for the day the request happens to arrive on."""

    day = forms.DateField(
        input_formats=[ISO_DATE],
        widget=forms.HiddenInput(attrs={"data-testid": "filing-day"}),
        error_messages={"required": _("The form does not say which day it is for: open it again.")},
    )
    # The version of the report the form was opened at (0: not yet submitted): a save over someone else's
    # newer filing is refused instead of silently replacing it.
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput())
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(
        self, *args: Any, indicators: list[Indicator], flagged: set[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for ind in indicators:
            self.fields[ind.code] = forms.IntegerField(
                label=ind.name,
                min_value=0,
                max_value=MAX_FIGURE,
                required=False,
                help_text=f"{ind.get_kind_display()} · {ind.get_unit_display()}",
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric", "min": 0}),
            )

    def clean_day(self) -> datetime.date:
        day = cast(datetime.date, self.cleaned_data["day"])
        if parse_day(day) is None:
            raise forms.ValidationError(day_error())
        return day

    def values(self) -> dict[str, int | None]:
        return {ind.code: self.cleaned_data.get(ind.code) for ind in self.indicators}

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[ind.code] for ind in self.indicators]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class PublishForm(forms.Form):
    notice_text = forms.CharField(
        label=_("Notice"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UrgentForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), widget=forms.Select(attrs={"class": "form-select"}))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=UrgentKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"})
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units


class IndicatorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    name_zh = forms.CharField(
        label=_("Name (Chinese)"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    name_en = forms.CharField(
        label=_("Name (English)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=IndicatorKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=IndicatorUnit.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    source = forms.ChoiceField(
        label=_("Data source"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = [("", "—"), *((s, s) for s in sources)]


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format=ISO_DATE),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format=ISO_DATE),
    )
    region = forms.CharField(required=False, widget=forms.HiddenInput)

    def _day_in_range(self, name: str) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get(name)
        if day is not None and parse_day(day) is None:
            raise forms.ValidationError(day_error())
        return day

    def clean_start(self) -> datetime.date | None:
        return self._day_in_range("start")

    def clean_end(self) -> datetime.date | None:
        return self._day_in_range("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start comes after the end."))
        if start and end and (end - start) > datetime.timedelta(days=366):
            raise forms.ValidationError(_("Choose a period of at most a year."))
        return data
