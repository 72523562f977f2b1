"""What screening tells other apps (the control app listens; screening imports no listener).

Sent synchronously inside the sending action's transaction, so a listener's records commit or roll back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# A returnee report was classified: kwargs `report_uuid`, `person_id`, `region_id`, `measure_code`,
# `start_day` (the return date), `grid_worker_id`, `actor`, `now`.
returnee_classified = Signal()
# Medium/high-risk areas were published: kwargs `area_ids` (new RiskArea ids), `actor`, `now`.
risk_areas_published = Signal()
