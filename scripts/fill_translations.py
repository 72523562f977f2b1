"""Fill zh_Hans msgstr entries from a Python dict file: `python scripts/fill_translations.py DICT.py PO...`.

The dict maps msgid (or (msgid, msgid_plural)) to the Chinese text; entries already translated are kept.
"""

from __future__ import annotations

import runpy
import sys

import polib


def main() -> None:
    table = runpy.run_path(sys.argv[1])["ZH"]
    for path in sys.argv[2:]:
        po = polib.pofile(path)
        missing = []
        for entry in po:
            key = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
            text = table.get(key)
            if entry.msgid_plural:
                # Chinese has a single plural form (nplurals=1).
                entry.msgstr_plural = {0: entry.msgstr_plural.get(0) or text or ""}
            elif text and not entry.msgstr:
                entry.msgstr = text
            if "fuzzy" in entry.flags and text:
                entry.flags.remove("fuzzy")
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                missing.append(entry.msgid)
        po.save(path)
        for msgid in missing:
            print(f"{path}: untranslated {msgid!r}")


if __name__ == "__main__":
    main()
