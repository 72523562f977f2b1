"""The supervision tests read the seeded checklists, which a live-server test elsewhere may have flushed."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def seeds(db: None) -> None:
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()
