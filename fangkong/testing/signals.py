"""What the testing app announces (contracts.md). Both are sent after the transaction commits.

- `results_recorded(results: list[PersonResult])`: every person whose result became known (a negative pool →
  each member; a single tube → its person), one send per import or API call.
- `pool_positive(pool_uuid: uuid.UUID, person_ids: list[int], now: datetime.datetime)`: a pooled tube came back
  positive or abnormal; its members are recalled.
"""

from __future__ import annotations

import django.dispatch

results_recorded = django.dispatch.Signal()
pool_positive = django.dispatch.Signal()
