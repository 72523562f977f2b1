"""Seed the control measures and the default classification rules (the command office edits them later)."""

from typing import Any

from django.db import migrations

MEASURES = [
    # code, Chinese, English, counts as under control, order
    ("centralized_isolation", "集中隔离", "Centralized isolation", True, 10),
    ("home_isolation", "居家隔离", "Home isolation", True, 20),
    ("health_monitoring", "健康监测", "Health monitoring (with tests)", True, 30),
    ("none", "无需管控", "No control needed", False, 90),
]
RULES = [
    # priority, condition, special situation, measure
    (5, "any", "close_contact", "centralized_isolation"),
    (10, "high", "", "centralized_isolation"),
    (20, "medium", "", "home_isolation"),
    (30, "starred_city", "", "health_monitoring"),
    (100, "any", "", "none"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    measure_model = apps.get_model("screening", "ControlMeasure")
    rule_model = apps.get_model("screening", "ClassificationRule")
    by_code = {}
    for code, zh, en, is_control, order in MEASURES:
        by_code[code], _created = measure_model.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "is_control": is_control, "sort_order": order}
        )
    if not rule_model.objects.exists():
        for priority, condition, special, code in RULES:
            rule_model.objects.create(priority=priority, condition=condition, special_situation=special,
                                      measure=by_code[code])


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("screening", "ClassificationRule").objects.all().delete()
    apps.get_model("screening", "ControlMeasure").objects.filter(code__in=[m[0] for m in MEASURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_risk_areas_returnees_campaigns")]

    operations = [migrations.RunPython(seed, unseed)]
