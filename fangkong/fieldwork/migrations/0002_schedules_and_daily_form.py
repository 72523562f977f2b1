"""Disinfection schedules by kind of place (a market daily …), and 消杀面积 of the default daily form becomes the
system's figure `fieldwork.disinfection_area`."""

from django.db import migrations

SCHEDULES = [
    ("market", 1),
    ("checkpoint", 1),
    ("isolation_site", 1),
    ("cold_store", 1),
    ("school", 1),
    ("village_public", 3),
    ("other", 7),
]


def seed(apps, schema_editor):
    Schedule = apps.get_model("fieldwork", "DisinfectionSchedule")
    for kind, every in SCHEDULES:
        Schedule.objects.get_or_create(kind=kind, defaults={"every_days": every})
    Indicator = apps.get_model("reporting", "Indicator")
    Indicator.objects.filter(form__code="daily", code="disinfection_area", source="").update(
        source="fieldwork.disinfection_area"
    )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    Indicator.objects.filter(form__code="daily", code="disinfection_area", source="fieldwork.disinfection_area").update(
        source=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0001_places_records_teams_tasks_submissions"),
        ("reporting", "0005_report_status_overdue"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
