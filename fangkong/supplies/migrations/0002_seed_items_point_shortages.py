"""The supply items (data) and the daily form's 防疫物资短缺项数 pointed at the system's figure."""

from django.db import migrations

# code, name, unit of measure
ITEMS = [
    ("n95_mask", "N95口罩", "只"),
    ("surgical_mask", "医用外科口罩", "只"),
    ("protective_suit", "医用防护服", "套"),
    ("gloves", "医用手套", "副"),
    ("goggles", "护目镜", "个"),
    ("face_shield", "防护面屏", "个"),
    ("antigen_test_kit", "抗原检测试剂", "人份"),
    ("sampling_tube", "采样管", "支"),
    ("swab", "采样拭子", "支"),
    ("disinfectant", "消毒液", "升"),
    ("thermometer", "测温枪", "把"),
]


def seed(apps, schema_editor):
    SupplyItem = apps.get_model("supplies", "SupplyItem")
    for code, name, unit in ITEMS:
        SupplyItem.objects.get_or_create(code=code, defaults={"name": name, "unit_of_measure": unit})


def point_indicator(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    Indicator.objects.filter(form__code="daily", code="supply_shortages", source="").update(
        source="supplies.items_short"
    )


def unpoint_indicator(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    Indicator.objects.filter(form__code="daily", code="supply_shortages", source="supplies.items_short").update(
        source=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("supplies", "0001_warehouses_stock_lots_movements"),
        ("reporting", "0005_report_status_overdue"),
    ]
    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(point_indicator, unpoint_indicator),
    ]
