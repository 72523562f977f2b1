from django.urls import include, path

from fangkong import health, today, views
from fangkong.accounts.urls import auth_urlpatterns
from fangkong.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("today/<slug:key>/", today.section, name="today_section"),
    path("dashboards/<slug:key>/", today.dashboard, name="dashboard"),
    path("bell/", today.bell, name="bell"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("fangkong.accounts.urls")),
    path("people/", include("fangkong.people.urls")),
    path("regions/", include("fangkong.regions.urls")),
    path("audit/", include("fangkong.audit.urls")),
    path("screening/", include("fangkong.screening.urls")),
    path("push-lists/", include("fangkong.pushlists.urls")),
    path("duty/", include("fangkong.duty.urls")),
    path("reports/", include("fangkong.reporting.urls")),
    path("briefings/", include("fangkong.briefing.urls")),
    path("vaccination/", include("fangkong.vaccination.urls")),
    path("supplies/", include("fangkong.supplies.urls")),
    path("supervision/", include("fangkong.supervision.urls")),
    path("venues/", include("fangkong.venues.urls")),
    path("publicity/", include("fangkong.publicity.urls")),
    path("control/", include("fangkong.control.urls")),
    path("testing/", include("fangkong.testing.urls")),
    path("notify/", include("fangkong.notify.urls")),
    path("checkpoints/", include("fangkong.checkpoints.urls")),
    path("clinics/", include("fangkong.clinics.urls")),
    path("coldchain/", include("fangkong.coldchain.urls")),
    path("field/", include("fangkong.fieldwork.urls")),
    path("retention/", include("fangkong.retention.urls")),
    path("api/v1/", api.urls),
    *auth_urlpatterns,
]

# Chinese pages for people, JSON under /api/ (fangkong/errors.py); never Django's technical pages.
handler400 = "fangkong.errors.bad_request"
handler403 = "fangkong.errors.forbidden"
handler404 = "fangkong.errors.not_found"
handler500 = "fangkong.errors.server_error"
