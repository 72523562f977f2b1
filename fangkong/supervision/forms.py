"""Forms of the supervision pages; domain validation (states, due dates, jurisdiction) happens in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fangkong.lib.dates import validate_event_day
from fangkong.lib.photos import MAX_PHOTOS
from fangkong.regions.models import Region
from fangkong.supervision.models import PlaceKind, RectificationItem, RectificationKind

ISO_DATE = "%Y-%m-%d"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (a phone's camera or gallery); the action checks and re-encodes them."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "class": "form-control"}),
        )
        kwargs.setdefault(
            "help_text", _("JPEG, PNG or WebP, at most 10 MB each, up to %(n)d photos.") % {"n": MAX_PHOTOS}
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _bootstrap(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select")
        elif not isinstance(f.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            f.widget.attrs.setdefault("class", "form-control")


class InspectionForm(forms.Form):
    region = UnitChoiceField(label=_("Inspected unit"), queryset=Region.objects.none())
    place_name = forms.CharField(label=_("Place"), max_length=100)
    inspected_at = forms.DateTimeField(
        label=_("Inspected at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    failed_points = forms.MultipleChoiceField(
        label=_("Points found wanting"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: QuerySet[Region], points: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)  # noqa: S101
        region.queryset = units
        failed = self.fields["failed_points"]
        assert isinstance(failed, forms.MultipleChoiceField)  # noqa: S101
        failed.choices = [(p, p) for p in points]
        if not points:
            del self.fields["failed_points"]
        _bootstrap(self)


class FindingForm(forms.Form):
    description = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(
        label=_("Kind of rectification"), choices=RectificationKind.choices, widget=forms.RadioSelect
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        validators=[validate_event_day],
        help_text=_("Required for a fix by a deadline; a fix at once is due today."),
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )
    region = UnitChoiceField(label=_("Responsible unit"), queryset=Region.objects.none())
    photos = PhotosField(label=_("Photos"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)  # noqa: S101
        region.queryset = units
        _bootstrap(self)


class FixForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("Photos of the fix"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class NoticeForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    items = forms.ModelMultipleChoiceField(
        label=_("Findings named"),
        queryset=RectificationItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    is_public = forms.BooleanField(
        label=_("Also publish on the public page (units and findings only, no personal data)"), required=False
    )

    def __init__(self, *args: Any, items: QuerySet[RectificationItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = items
        field.label_from_instance = lambda i: f"{i.region.name} · {i.place_name} · {i.description[:40]}"  # type: ignore[method-assign,assignment]
        _bootstrap(self)


PLACE_KINDS = PlaceKind.choices
