"""宣传次数 becomes the system's figure: the default daily form's indicator reads `publicity.items`."""

from django.db import migrations


def point(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    Indicator.objects.filter(form__code="daily", code="publicity_items", source="").update(source="publicity.items")


def unpoint(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    Indicator.objects.filter(form__code="daily", code="publicity_items", source="publicity.items").update(source="")


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0001_publicity_tallies"),
        ("reporting", "0005_report_status_overdue"),
    ]
    operations = [migrations.RunPython(point, unpoint)]
