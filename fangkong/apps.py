import logging

from django.apps import AppConfig

log = logging.getLogger(__name__)


class FangkongConfig(AppConfig):
    """The project package itself: base templates, static files and the project-wide catalogue."""

    name = "fangkong"
    verbose_name = "Fangkong"

    def ready(self) -> None:
        from fangkong import sessions  # noqa: F401 - connects the login signal that starts a session's clock
        from fangkong.lib.translations import compile_stale

        try:
            compiled = compile_stale()
        except OSError as exc:  # a read-only install must ship its .mo files (docs/operations.md)
            log.warning("translation catalogues could not be compiled: %s", exc)
            return
        if compiled:
            # An earlier app's start-up may have loaded the catalogues already (without these): drop them
            # so they load afresh, as Django does when LANGUAGES change.
            from django.utils.translation import trans_real

            trans_real._translations = {}  # type: ignore[attr-defined]
            trans_real._default = None  # type: ignore[attr-defined]
