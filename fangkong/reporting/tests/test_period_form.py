"""The period form's date inputs keep what the user chose, in Chinese too."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from fangkong.accounts.models import User


def test_the_chosen_period_stays_in_the_date_inputs(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(command_user).get(
        reverse("reporting:completeness"), {"start": "2021-08-02", "end": "2021-08-03"}
    )
    html = page.content.decode()
    assert 'name="start" value="2021-08-02"' in html
    assert 'name="end" value="2021-08-03"' in html


def test_the_subnav_scrolls_sideways_on_a_phone_instead_of_wrapping_its_words(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    html = client_for(command_user).get(reverse("reporting:completeness")).content.decode()
    assert 'class="nav nav-pills flex-nowrap overflow-auto text-nowrap' in html
