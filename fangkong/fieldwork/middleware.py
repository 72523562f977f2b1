"""Logging out clears what the field pages cached on the device (issue 17): the browser drops the caches, the
IndexedDB outbox and the service worker of this site when the logout answer says `Clear-Site-Data`."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

CLEAR = '"cache", "storage"'


class ClearSiteDataOnLogout:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.logout_path = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self.logout_path:
            self.logout_path = reverse("logout")
        if request.method == "POST" and request.path == self.logout_path and response.status_code < 400:
            response["Clear-Site-Data"] = CLEAR
        return response
