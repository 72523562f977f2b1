"""Run by `test_working_beside_an_import` in its own process against a file database: log in again and again
while an import runs there, and print the worst answer time (seconds) and how many logins happened while the
batch was `running`. Not a test module (no `test_` prefix)."""

from __future__ import annotations

import json
import sys
import time

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from fangkong.pushlists.models import BatchStatus, PushBatch  # noqa: E402


def main(username: str, password: str, limit_seconds: float) -> None:
    setup_test_environment()  # the test client's host and settings
    client = Client()
    client.get("/accounts/login/")  # warm up (templates, URL resolver): a read, no write
    print("ready", flush=True)  # the test starts the import now
    worst, during, started = 0.0, 0, time.monotonic()
    while time.monotonic() - started < limit_seconds:
        status = PushBatch.objects.values_list("status", flat=True).first()
        if status is None or status == BatchStatus.QUEUED:
            time.sleep(0.02)
            continue
        if status != BatchStatus.RUNNING:
            break
        began = time.perf_counter()
        response = client.post("/accounts/login/", {"username": username, "password": password})
        took = time.perf_counter() - began
        if response.status_code != 302:
            print(json.dumps({"error": response.status_code}))
            return
        client.logout()
        worst, during = max(worst, took), during + 1
    print(json.dumps({"worst_seconds": worst, "logins_during_import": during}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
