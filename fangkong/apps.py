from django.apps import AppConfig


class FangkongConfig(AppConfig):
    """The project package itself: base templates, static files and the project-wide catalogue."""

    name = "fangkong"
    verbose_name = "Fangkong"
