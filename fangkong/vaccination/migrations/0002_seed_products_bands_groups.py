"""The data the coverage reads: vaccine products with their course lengths, the age bands, the key groups, the
district's target rates, and the daily form's 疫苗接种剂次 pointed at the system's figure."""

from django.db import migrations

# name, manufacturer, doses in a full course
PRODUCTS = [
    ("新冠病毒灭活疫苗（Vero细胞）", "北京生物制品研究所有限责任公司", 2),
    ("新冠病毒灭活疫苗（Vero细胞）", "北京科兴中维生物技术有限公司", 2),
    ("新冠病毒灭活疫苗（Vero细胞）", "武汉生物制品研究所有限责任公司", 2),
    ("重组新型冠状病毒疫苗（5型腺病毒载体）", "康希诺生物股份公司", 1),
    ("重组新型冠状病毒蛋白疫苗（CHO细胞）", "安徽智飞龙科马生物制药有限公司", 3),
]
# code, name, from age, to age (inclusive; None: no upper bound)
BANDS = [
    ("3-11", "3–11岁", 3, 11),
    ("12-17", "12–17岁", 12, 17),
    ("18-59", "18–59岁", 18, 59),
    ("60+", "60岁以上", 60, None),
]
GROUPS = [
    ("public_staff", "机关事业单位工作人员"),
    ("cold_chain", "冷链从业人员"),
    ("teachers", "教职员工"),
]


def seed(apps, schema_editor):
    VaccineProduct = apps.get_model("vaccination", "VaccineProduct")
    AgeBand = apps.get_model("vaccination", "AgeBand")
    KeyGroup = apps.get_model("vaccination", "KeyGroup")
    for name, maker, course in PRODUCTS:
        VaccineProduct.objects.get_or_create(name=name, manufacturer=maker, defaults={"course_doses": course})
    for code, name, low, high in BANDS:
        AgeBand.objects.get_or_create(code=code, defaults={"name": name, "min_age": low, "max_age": high})
    for code, name in GROUPS:
        KeyGroup.objects.get_or_create(code=code, defaults={"name": name})


def point_indicator(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    Indicator.objects.filter(form__code="daily", code="vaccination_doses", source="").update(
        source="vaccination.doses_given"
    )


def unpoint_indicator(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    Indicator.objects.filter(form__code="daily", code="vaccination_doses", source="vaccination.doses_given").update(
        source=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("vaccination", "0001_products_doses_sites_targets"),
        ("reporting", "0005_report_status_overdue"),
    ]
    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(point_indicator, unpoint_indicator),
    ]
