"""What the testing app announces (contracts.md). Both are sent after the transaction commits.

- `results_recorded(results: list[PersonResult])`: every person whose result became known (a negative pool →
  each member; a single tube → its person), one send per import or API call.
- `pools_positive(pools: dict[uuid.UUID, list[int]], now: datetime.datetime)`: the pooled tubes of one import (or
  API call) that came back positive or abnormal, each with its members' person ids; sent once, so a receiver
  handles every member in bulk (control starts their orders).
- `pool_positive(pool_uuid: uuid.UUID, person_ids: list[int], now: datetime.datetime)`: the same, once per pool,
  after `pools_positive` (for a receiver that handles one pool at a time).
"""

from __future__ import annotations

import django.dispatch

results_recorded = django.dispatch.Signal()
pools_positive = django.dispatch.Signal()
pool_positive = django.dispatch.Signal()
