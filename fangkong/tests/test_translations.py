"""The zh_Hans catalogues are complete: no empty or fuzzy entry in any committed catalogue.

(`manage.py check_translations`, run by `make test`, also re-extracts messages to catch strings that were
never added to a catalogue.)"""

import polib

from fangkong.lib.translations import catalogues


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    problems = []
    for path in catalogues():
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{path}: fuzzy {entry.msgid!r}")
            elif not entry.msgstr and not any(entry.msgstr_plural.values()):
                problems.append(f"{path}: empty {entry.msgid!r}")
    assert catalogues(), "no catalogue found"
    assert not problems, "\n".join(problems)
