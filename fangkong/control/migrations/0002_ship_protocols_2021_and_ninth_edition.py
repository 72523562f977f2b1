"""Ship the protocols of the issue as data: 14+7+7 (2021) and the 第九版 (2022) variants, and which protocol
each classification measure and reason starts (2021 by default; the command office re-points them)."""

from typing import Any

from django.db import migrations

C, H, M = "central_isolation", "home_isolation", "health_monitoring"
# code, name, edition, lookback days, stages: (kind, place, days, test days, follow-ups a day)
PROTOCOLS = [
    ("2021-14-7-7", "14+7+7 健康管理", "2021", 14,
     [(C, "site", 14, [1, 4, 7, 14], 0), (H, "home", 7, [2, 7], 2), (M, "anywhere", 7, [], 1)]),
    ("2021-7-7", "居家隔离 7+7", "2021", 14, [(H, "home", 7, [2, 7], 2), (M, "anywhere", 7, [], 1)]),
    ("2021-monitoring-7", "健康监测 7 天", "2021", 14, [(M, "anywhere", 7, [], 1)]),
    ("v9-close-contact", "第九版 密接 7+3", "第九版 (2022)", 7,
     [(C, "site", 7, [1, 2, 3, 5, 7], 0), (M, "home", 3, [3], 1)]),
    ("v9-secondary-contact", "第九版 次密接 7 天居家隔离", "第九版 (2022)", 7, [(H, "home", 7, [1, 4, 7], 2)]),
    ("v9-high-risk-stay", "第九版 高风险区旅居 7 天集中隔离", "第九版 (2022)", 7,
     [(C, "site", 7, [1, 2, 3, 5, 7], 0)]),
]
TRIGGERS = {
    "measure:centralized_isolation": "2021-14-7-7",
    "measure:home_isolation": "2021-7-7",
    "measure:health_monitoring": "2021-monitoring-7",
    "reason:returnee": "2021-14-7-7",
    "reason:close_contact": "2021-14-7-7",
    "reason:secondary_contact": "2021-7-7",
    "reason:pool_positive": "2021-14-7-7",
    "reason:push_list": "2021-14-7-7",
    "reason:referral": "2021-monitoring-7",
}


def ship(apps: Any, schema_editor: Any) -> None:
    protocol_model = apps.get_model("control", "Protocol")
    stage_model = apps.get_model("control", "ProtocolStage")
    trigger_model = apps.get_model("control", "Trigger")
    by_code = {}
    for code, name, edition, lookback, stages in PROTOCOLS:
        protocol, created = protocol_model.objects.get_or_create(
            code=code, version=1, defaults={"name": name, "edition": edition, "lookback_days": lookback}
        )
        by_code[code] = protocol
        if created:
            for position, (kind, place, days, tests, follow) in enumerate(stages):
                stage_model.objects.create(protocol=protocol, position=position, kind=kind, place=place,
                                           days=days, test_days=tests, follow_ups_per_day=follow)
    for key, code in TRIGGERS.items():
        trigger_model.objects.get_or_create(key=key, defaults={"protocol": by_code[code]})


def unship(apps: Any, schema_editor: Any) -> None:
    apps.get_model("control", "Trigger").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("control", "0001_protocols_orders_sites_follow_ups")]

    operations = [migrations.RunPython(ship, unship)]
