"""Seed the health code colours (further local colours are added as rows) and point the default daily form's
在岗卡口数 / 卡口查验人数 at the checkpoint figures."""

from django.db import migrations

COLOURS = [("green", "绿码", 0, 10), ("yellow", "黄码", 1, 20), ("red", "红码", 2, 30)]
SOURCES = {"checkpoints_manned": "checkpoints.manned", "checkpoint_people": "checkpoints.people_checked"}


def seed(apps, schema_editor):
    CodeColour = apps.get_model("checkpoints", "CodeColour")
    for code, name, severity, order in COLOURS:
        CodeColour.objects.get_or_create(code=code, defaults={"name": name, "severity": severity, "order": order})
    Indicator = apps.get_model("reporting", "Indicator")
    for code, source in SOURCES.items():
        Indicator.objects.filter(form__code="daily", code=code, source="").update(source=source)


def unseed(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    for code, source in SOURCES.items():
        Indicator.objects.filter(form__code="daily", code=code, source=source).update(source="")


class Migration(migrations.Migration):
    dependencies = [
        ("checkpoints", "0001_checkpoints_crossings_spot_checks"),
        ("reporting", "0005_report_status_overdue"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
