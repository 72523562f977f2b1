#!/usr/bin/env bash
# Regenerates docs/permissions.md from the table in fangkong/accounts/permissions.py.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  sed -n '1,/^<!-- table -->$/p' docs/permissions.md
  DEBUG=1 .venv/bin/python manage.py permission_table
  sed -n '/^<!-- end table -->$/,$p' docs/permissions.md
} > docs/permissions.md.new
mv docs/permissions.md.new docs/permissions.md
