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


def test_updating_a_catalogue_keeps_a_clean_header_and_one_plural_form(tmp_path):
    from fangkong.lib.translations import po_path, update

    app = tmp_path / "sample"
    (app / "templates").mkdir(parents=True)
    (app / "templates" / "page.html").write_text(
        "{% load i18n %}{% blocktranslate count n=items %}{{ n }} item{% plural %}{{ n }} items{% endblocktranslate %}"
        "{% translate 'Late' context 'report' %}",
        encoding="utf-8",
    )
    path = update(app)
    catalogue = polib.pofile(str(path))
    assert path == po_path(app)
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    plural = next(e for e in catalogue if e.msgid_plural)
    assert list(plural.msgstr_plural) == [0]
    assert any(e.msgctxt == "report" and e.msgid == "Late" for e in catalogue)
