import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    UrgentAttachment = apps.get_model("reporting", "UrgentAttachment")
    for attachment in UrgentAttachment.objects.filter(uuid__isnull=True):
        attachment.uuid = uuid.uuid4()
        attachment.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_default_daily_form")]

    # Three steps so existing attachments each get their own identifier.
    operations = [
        migrations.AddField(model_name="urgentattachment", name="uuid", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="urgentattachment",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
