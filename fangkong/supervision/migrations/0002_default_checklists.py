"""The default checklists (督导检查清单), from the district's practice in August 2021: what the 督导组 checked at
checkpoints (三码查验, staff on post, no drinking), testing points, isolation sites, venues and villages."""

from django.db import migrations

CHECKLISTS = [
    ("checkpoint", "卡口督导检查清单", "checkpoint", [
        "值守人员在岗在位，无脱岗、饮酒等情况",
        "健康码、行程码、疫苗接种码“三码”逐人查验",
        "出入人员登记信息完整",
        "测温设备正常，体温异常人员按流程处置",
        "值班台账、交接班记录完整",
        "防护用品、消毒物资配备到位",
    ]),
    ("testing_point", "核酸采样点督导检查清单", "testing_point", [
        "“一米线”间隔、分区设置规范",
        "采样人员防护穿戴规范",
        "扫码登记与样本信息一致",
        "医疗废物按规定处置",
    ]),
    ("isolation_site", "隔离点督导检查清单", "isolation_site", [
        "三区两通道设置规范",
        "隔离人员单人单间，不串门",
        "每日两次体温监测并记录",
        "环境消杀记录完整",
    ]),
    ("venue", "重点场所督导检查清单", "venue", [
        "按通知要求停业或限流",
        "入口测温、扫码、戴口罩",
        "通风消毒记录完整",
    ]),
    ("village", "村（社区）督导检查清单", "village", [
        "日报告、零报告按时报送",
        "返乡人员排查登记造册",
        "宣传横幅、海报张贴到位",
        "红白事报备，宴会不办",
    ]),
]


def create(apps, schema_editor):
    Checklist = apps.get_model("supervision", "Checklist")
    for code, name, kind, points in CHECKLISTS:
        Checklist.objects.get_or_create(code=code, defaults={"name": name, "place_kind": kind, "points": points})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_inspections_rectification_notices")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
