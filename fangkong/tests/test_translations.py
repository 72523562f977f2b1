"""The zh_Hans catalogues are complete: no empty or fuzzy entry in any committed catalogue.

(`manage.py check_translations`, run by `make test`, also re-extracts messages to catch strings that were
never added to a catalogue.)"""

import polib

from fangkong.lib.translations import catalogues


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    problems = []
    for path in catalogues():
        catalogue = polib.pofile(str(path))
        # A fuzzy header is dropped by the compiler, and Chinese plurals then fall back to English.
        if catalogue.metadata_is_fuzzy or catalogue.metadata.get("Plural-Forms") != "nplurals=1; plural=0;":
            problems.append(f"{path}: fuzzy header or wrong plural rule")
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if entry.msgid_plural and (list(entry.msgstr_plural) != [0] or not entry.msgstr_plural[0]):
                problems.append(f"{path}: plural entry needs exactly one Chinese form {entry.msgid!r}")
            elif "fuzzy" in entry.flags:
                problems.append(f"{path}: fuzzy {entry.msgid!r}")
            elif not entry.msgstr and not any(entry.msgstr_plural.values()):
                problems.append(f"{path}: empty {entry.msgid!r}")
    assert catalogues(), "no catalogue found"
    assert not problems, "\n".join(problems)
