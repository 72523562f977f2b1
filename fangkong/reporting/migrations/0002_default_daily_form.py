"""The default daily form (疫情信息日报), from the district's practice in August 2021."""

from django.db import migrations

# code, name_zh, name_en, kind, unit, source
INDICATORS = [
    ("returnees_screened", "中高风险地区返濮人员排查数", "Returnees from medium/high-risk areas screened",
     "new_today", "persons", "screening.returnees_registered"),
    ("returnees_verified", "中高风险地区返濮人员核实数", "Returnees from medium/high-risk areas verified",
     "new_today", "persons", "screening.returnees_verified"),
    ("returnees_under_control", "中高风险地区返濮人员管控数", "Returnees from medium/high-risk areas under control",
     "under_management", "persons", "screening.returnees_under_control"),
    ("pushlist_received", "推送名单接收条数", "Push-list items received", "new_today", "items",
     "pushlists.items_received"),
    ("pushlist_verified", "推送名单核查条数", "Push-list items verified", "new_today", "items",
     "pushlists.items_verified"),
    ("pushlist_overdue", "推送名单超时未核查条数", "Push-list items overdue", "under_management", "items",
     "pushlists.items_overdue"),
    ("central_isolation", "集中隔离人数", "People in centralized isolation", "under_management", "persons", ""),
    ("home_isolation", "居家隔离人数", "People in home isolation", "under_management", "persons", ""),
    ("health_monitoring", "健康监测人数", "People under health monitoring", "under_management", "persons", ""),
    ("close_contacts", "密切接触者人数", "Close contacts", "cumulative", "persons", ""),
    ("nat_samples", "核酸检测采样数", "Nucleic-acid samples taken", "new_today", "samples", ""),
    ("nat_negative", "核酸检测阴性数", "Nucleic-acid results negative", "new_today", "samples", ""),
    ("nat_positive", "核酸检测阳性数", "Nucleic-acid results positive", "new_today", "samples", ""),
    ("checkpoints_manned", "在岗卡口数", "Checkpoints manned", "under_management", "places", ""),
    ("checkpoint_people", "卡口查验人数", "People checked at checkpoints", "new_today", "persons", ""),
    ("disinfection_area", "消杀面积", "Area disinfected", "new_today", "m2", ""),
    ("publicity_items", "宣传次数", "Publicity items", "new_today", "items", ""),
    ("supply_shortages", "防疫物资短缺项数", "Supplies in shortage", "under_management", "items", ""),
    ("vaccination_doses", "疫苗接种剂次", "Vaccination doses", "new_today", "doses", ""),
]


def create_form(apps, schema_editor):
    ReportForm = apps.get_model("reporting", "ReportForm")
    Indicator = apps.get_model("reporting", "Indicator")
    form, _created = ReportForm.objects.get_or_create(
        code="daily",
        defaults={"name_zh": "疫情信息日报", "name_en": "Daily epidemic report", "levels": ["township", "village"]},
    )
    for order, (code, zh, en, kind, unit, source) in enumerate(INDICATORS, start=1):
        Indicator.objects.get_or_create(
            form=form, code=code,
            defaults={"name_zh": zh, "name_en": en, "kind": kind, "unit": unit, "source": source,
                      "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_reports_accountability_urgent")]
    operations = [migrations.RunPython(create_form, migrations.RunPython.noop)]
