"""What the testing app does when other apps announce something (connected in `apps.py`; contracts.md C3)."""

from __future__ import annotations

import datetime
from typing import Any

from fangkong.testing.actions import cold_chain_group, do_set_key_group_people


def cold_chain_workers_changed(
    sender: object, *, person_ids: list[int], active: bool, now: datetime.datetime, **kwargs: Any
) -> None:
    """Cold-chain workers join the cold-chain key group (3-day cycle) or leave it, inside the coldchain
    transaction. A person leaving one enterprise but still working at another stays in the group."""
    ids = set(person_ids)
    if not active:
        from fangkong.coldchain.public import worker_person_ids

        ids -= worker_person_ids()
    do_set_key_group_people(cold_chain_group(), ids, active, now=now)
