"""The default daily form's 集中隔离/居家隔离/健康监测/密切接触者 indicators read the control app's figures."""

from typing import Any

from django.db import migrations

SOURCES = {
    "central_isolation": "control.central_isolation",
    "home_isolation": "control.home_isolation",
    "health_monitoring": "control.health_monitoring",
    "close_contacts": "control.close_contacts",
}


def point(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("reporting", "Indicator")
    for code, source in SOURCES.items():
        indicator.objects.filter(form__code="daily", code=code, source="").update(source=source)


def unpoint(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("reporting", "Indicator")
    for code, source in SOURCES.items():
        indicator.objects.filter(form__code="daily", code=code, source=source).update(source="")


class Migration(migrations.Migration):
    dependencies = [
        ("control", "0002_ship_protocols_2021_and_ninth_edition"),
        ("reporting", "0005_report_status_overdue"),
    ]

    operations = [migrations.RunPython(point, unpoint)]
