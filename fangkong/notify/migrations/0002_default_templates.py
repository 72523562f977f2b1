"""The SMS templates the testing campaigns use (template codes as registered at the gateway; data, not code)."""

from django.db import migrations

TEMPLATES = [
    (
        "round_untested",
        "核酸检测提醒（应检未检）",
        "SMS_FK_0001",
        "{name}您好，{round}正在进行，您尚未采样，请于{until}前到就近采样点检测，采样点及时间：{link}",
        ["name", "round", "until", "link"],
    ),
    (
        "key_group_due",
        "重点人群检测提醒",
        "SMS_FK_0002",
        "{name}您好，您属于{group}，请于{due}前完成本周期核酸检测，采样点：{link}",
        ["name", "group", "due", "link"],
    ),
    (
        "pool_recall",
        "混采复核通知",
        "SMS_FK_0003",
        "{name}您好，请您立即在原地等候，工作人员将联系您进行单管复核采样，咨询电话{phone}",
        ["name", "phone"],
    ),
    (
        "report_reminder",
        "日报提醒",
        "SMS_FK_0004",
        "{unit}：{day}疫情信息日报尚未报送，请于{deadline}前报送。",
        ["unit", "day", "deadline"],
    ),
]


def forwards(apps, schema_editor):
    SmsTemplate = apps.get_model("notify", "SmsTemplate")
    for code, name, provider_code, text, params in TEMPLATES:
        SmsTemplate.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "sign_name": "防控指挥部",
                "provider_code": provider_code,
                "text": text,
                "params": params,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_templates_campaigns_messages")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
