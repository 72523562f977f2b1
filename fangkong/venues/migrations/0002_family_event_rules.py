"""The rule 喜事缓办、丧事简办、宴会不办 as data (the district's practice in August 2021): weddings put off or kept
to a few guests, funerals kept simple, banquets not held. Changed in the admin, not in code."""

from django.db import migrations

RULES = [
    ("wedding", "喜事缓办", True, 10),
    ("funeral", "丧事简办", True, 20),
    ("banquet", "宴会不办", False, None),
]


def create(apps, schema_editor):
    EventRule = apps.get_model("venues", "EventRule")
    for kind, name, allowed, max_guests in RULES:
        EventRule.objects.get_or_create(kind=kind, defaults={"name": name, "allowed": allowed, "max_guests": max_guests})


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_venues_notices_family_events")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
