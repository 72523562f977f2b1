from pathlib import Path

from fangkong.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from fangkong.accounts.permtable import markdown_table

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def test_every_role_has_an_entry():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_only_the_command_office_and_inspectors_read_the_audit_log():
    assert {r for r, perms in ROLE_PERMISSIONS.items() if Perm.AUDIT_VIEW in perms} == {
        Role.COMMAND_OFFICE,
        Role.INSPECTOR,
    }


def test_the_documented_table_is_the_table_in_code():
    assert markdown_table() in DOC.read_text(encoding="utf-8"), (
        "docs/permissions.md is out of date: run `manage.py permission_table` and paste its output"
    )
