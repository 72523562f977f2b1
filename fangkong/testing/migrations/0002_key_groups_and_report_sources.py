"""Key groups on a cycle (data), and the daily form's nucleic-acid indicators read from the testing figures."""

from django.db import migrations

KEY_GROUPS = [
    ("cold_chain", "冷链从业人员", 3),
    ("port_staff", "口岸及进口物品从业人员", 2),
    ("fever_clinic", "发热门诊患者", 1),
    ("inpatients", "住院患者及陪护人员", 7),
    ("medical_staff", "医疗机构工作人员", 7),
    ("checkpoint_staff", "卡口值守人员", 3),
    ("isolation_site_staff", "隔离场所工作人员", 2),
    ("delivery_workers", "快递外卖从业人员", 7),
]
SOURCES = {
    "nat_samples": "testing.samples_taken",
    "nat_negative": "testing.results_negative",
    "nat_positive": "testing.results_positive",
}


def forwards(apps, schema_editor):
    KeyGroup = apps.get_model("testing", "KeyGroup")
    for code, name, days in KEY_GROUPS:
        KeyGroup.objects.get_or_create(code=code, defaults={"name": name, "cycle_days": days})
    Indicator = apps.get_model("reporting", "Indicator")
    for code, source in SOURCES.items():
        Indicator.objects.filter(form__code="daily", code=code, source="").update(source=source)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    for code, source in SOURCES.items():
        Indicator.objects.filter(form__code="daily", code=code, source=source).update(source="")


class Migration(migrations.Migration):
    dependencies = [
        ("testing", "0001_points_rounds_tubes_results_recalls"),
        ("reporting", "0005_report_status_overdue"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
