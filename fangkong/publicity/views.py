"""The publicity page: the day's tallies of a unit (a form) and the last week of the jurisdiction."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fangkong.accounts.access import access_region, acting_user, regions_for, require, scoped
from fangkong.accounts.permissions import Perm
from fangkong.lib.dates import parse_day
from fangkong.lib.web import add_errors
from fangkong.publicity.actions import MAX_COUNT, do_record_tallies
from fangkong.publicity.models import PublicityKind, PublicityTally
from fangkong.regions.models import Level


class TallyForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for value, label in PublicityKind.choices:
            self.fields[value] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MAX_COUNT,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )


DAYS_SHOWN = 7


@require_http_methods(["GET", "POST"])
@login_required
def home(request: HttpRequest) -> HttpResponse:
    root = require(request.user, Perm.PUBLICITY_RECORD)
    today = timezone.localdate()
    code = request.GET.get("unit", "").strip()
    unit = access_region(request.user, code, Perm.PUBLICITY_RECORD) if code else root
    day = parse_day(request.GET.get("day", "")) or today
    mine = {t.kind: t.count for t in PublicityTally.objects.filter(region=unit, day=day)}
    form = TallyForm(request.POST or None, initial=mine)
    if request.method == "POST" and form.is_valid():
        counts = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            do_record_tallies(acting_user(request), region=unit, day=day, counts=counts, now=timezone.now())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Publicity tallies saved."))
            return redirect(f"{request.path}?unit={unit.code}&day={day.isoformat()}")
    first = today - datetime.timedelta(days=DAYS_SHOWN - 1)
    sums = (
        scoped(PublicityTally.objects.all(), request.user, Perm.PUBLICITY_RECORD)
        .filter(day__gte=first, day__lte=today)
        .values("day", "kind")
        .annotate(n=Sum("count"))
    )
    table: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    for row in sums:
        table[row["day"]][row["kind"]] = row["n"]
    days = [today - datetime.timedelta(days=i) for i in range(DAYS_SHOWN)]
    rows = [(d, [table[d].get(k, 0) for k in PublicityKind.values], sum(table[d].values())) for d in days]
    units = (
        regions_for(request.user, Perm.PUBLICITY_RECORD)
        .filter(level__in=(Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE))
        .order_by("path")
    )
    return render(
        request,
        "publicity/home.html",
        {
            "form": form,
            "unit": unit,
            "day": day,
            "units": units,
            "rows": rows,
            "kinds": PublicityKind.choices,
        },
    )
