"""A link works for its reader: every link a signed-in user is shown leads to a page that user may open.

Each role follows the links of its pages from the home page (breadth first, the same pages a person would
click through) and no link may answer 404 — the answer the access layer gives to what lies outside the
reader's jurisdiction or permissions. New pages are crawled without editing this test.
"""

from __future__ import annotations

import re
from collections import deque

import pytest

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.tests.test_jurisdiction_sweep import populate_apps

HREF = re.compile(r'href="(/[^"#]*)"')
NOT_PAGES = re.compile(
    r"^/(static|media|api)/|logout|setlang|download|export|\.(csv|xlsx|pdf|docx)$|[?&]page="
)
PAGES_PER_READER = 120


@pytest.fixture
def world(district, command_user, cadre_a, cadre_b, grid_worker_a, settings, tmp_path):
    from fangkong.tests.conftest import ensure_migration_seeds

    settings.MEDIA_ROOT = tmp_path
    ensure_migration_seeds()
    populate_apps(district)
    return district


def broken_links(client, start: str = "/") -> list[str]:
    seen = {start}
    queue = deque([start])
    broken = []
    while queue and len(seen) < PAGES_PER_READER:
        page = queue.popleft()
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode("utf-8", errors="replace")):
            href = href.replace("&amp;", "&")
            if href in seen or NOT_PAGES.search(href):
                continue
            seen.add(href)
            if client.get(href).status_code == 404:
                broken.append(f"{page} links to {href}")
            else:
                queue.append(href)
    return broken


@pytest.mark.parametrize("role", list(Role))
def test_no_link_a_reader_is_shown_answers_404(world, role, client_for):
    region = {
        Role.GRID_WORKER: world.grid_a,
        Role.TOWNSHIP_CADRE: world.township_a,
        Role.VILLAGE_CADRE: world.village_a,
        Role.CHECKPOINT_STAFF: world.township_a,
    }.get(role, world.county)
    reader = make_user(f"reader-{role}", role, region)
    broken = broken_links(client_for(reader))
    assert not broken, "\n".join(broken)
