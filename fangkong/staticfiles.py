"""Static files for production and the demo: whitenoise's compressed, hashed files (cached for a year).

The vendored minified bundles end with a `sourceMappingURL` comment, but the .map files are not vendored
(they are for debugging the library itself). Django's post-processing would fail on the missing file, so
those references are left as they are; `url()` and `@import` in CSS are still rewritten to hashed names.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: Any) -> tuple[Any, ...]:
    kept = []
    for extension, expressions in patterns:
        wanted = tuple(
            e for e in expressions if "sourceMappingURL" not in (e if isinstance(e, str) else e[0])
        )
        if wanted:
            kept.append((extension, wanted))
    return tuple(kept)


class ProductionStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
