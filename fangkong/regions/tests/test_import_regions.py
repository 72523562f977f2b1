from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fangkong.audit.models import AuditEvent
from fangkong.regions.actions import RegionImportError, do_import_regions
from fangkong.regions.models import Level, Region

SHARED = Path(__file__).resolve().parents[2] / "demo" / "data" / "regions-410972.csv"

GOOD = """code,name,parent_code,level
410972,濮阳经济技术开发区,410900,county
410972100,王助镇,410972,township
410972100201,王助村,410972100,village
"""

pytestmark = pytest.mark.usefixtures("english")


def test_it_loads_the_district_file(db):
    result = do_import_regions(None, SHARED.read_text(encoding="utf-8"))
    assert result.created == 179
    assert Region.objects.filter(level=Level.TOWNSHIP).count() == 7
    assert Region.objects.filter(level=Level.VILLAGE).count() == 171
    village = Region.objects.get(code="410972060003")
    assert village.name == "绪村社区居民委员会"
    assert village.path == "/410972/410972060/410972060003/"


def test_re_running_updates_names_and_adds_units_without_duplicating(db):
    do_import_regions(None, GOOD)
    renamed = GOOD.replace("王助村", "王助村委会") + "410972100202,新村,410972100,village\n"
    result = do_import_regions(None, renamed)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    assert Region.objects.count() == 4
    assert Region.objects.get(code="410972100201").name == "王助村委会"


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_loaded(db):
    bad = (
        GOOD
        + "410972100299,孤村,410972999,village\n41097210029X,坏码村,410972100,village\n4109721003,x,410972100,village\n410972100301,y,410972100,hamlet\n"
    )
    with pytest.raises(RegionImportError) as info:
        do_import_regions(None, bad)
    text = "\n".join(info.value.errors)
    assert "Line 5" in text and "410972999" in text  # unknown parent
    assert "Line 6" in text  # bad code
    assert "Line 7" in text  # wrong length for a village
    assert "Line 8" in text and "hamlet" in text  # unknown level
    assert Region.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_a_file_without_the_columns_is_refused(db):
    with pytest.raises(RegionImportError, match="parent_code"):
        do_import_regions(None, "code,name,level\n1,2,3\n")


def test_a_village_cannot_hang_from_the_county(db):
    with pytest.raises(RegionImportError, match="Line 3"):
        do_import_regions(
            None, GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n410972100201,村,410972,village\n"
        )


def test_the_command_prints_a_summary_and_fails_loudly(db, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_regions", str(path), stdout=out)
    assert "created 3" in out.getvalue()
    path.write_text(GOOD + "bad,,410972,village\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("import_regions", str(path), stdout=StringIO(), stderr=StringIO())


def test_a_subtree_query_is_a_prefix_match(district):
    inside = set(Region.objects.within(district.township_a).values_list("code", flat=True))
    assert inside == {"410972100", "410972100201", "G41097210020101", "G41097210020102"}
