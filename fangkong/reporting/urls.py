"""/reports/: daily reports, completeness, accountability, urgent reports, notifications, forms."""

from django.urls import URLPattern, path

from fangkong.reporting import views

app_name = "reporting"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("file/", views.file_report, name="file"),
    path("day/", views.day_reports, name="day"),
    path("r/<uuid:report_uuid>/", views.report_detail, name="detail"),
    path("r/<uuid:report_uuid>/review/", views.review_report, name="review"),
    path("completeness/", views.completeness_page, name="completeness"),
    path("accountability/", views.accountability_list, name="accountability"),
    path("accountability/<uuid:record_uuid>/", views.accountability_detail, name="accountability_detail"),
    path(
        "accountability/<uuid:record_uuid>/explain/",
        views.accountability_explain,
        name="accountability_explain",
    ),
    path(
        "accountability/<uuid:record_uuid>/decide/", views.accountability_decide, name="accountability_decide"
    ),
    path(
        "accountability/<uuid:record_uuid>/publish/",
        views.accountability_publish,
        name="accountability_publish",
    ),
    path("notices/", views.notices, name="notices"),
    path("urgent/", views.urgent_list, name="urgent"),
    path("urgent/new/", views.urgent_new, name="urgent_new"),
    path("urgent/<uuid:report_uuid>/", views.urgent_detail, name="urgent_detail"),
    path("urgent/<uuid:report_uuid>/ack/", views.urgent_ack, name="urgent_ack"),
    path(
        "urgent/<uuid:report_uuid>/attachments/<uuid:attachment_uuid>",
        views.urgent_attachment,
        name="urgent_attachment",
    ),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("notifications/<uuid:notification_uuid>/read/", views.notification_read, name="notification_read"),
    path("forms/", views.form_indicators, name="forms"),
    path("forms/indicators/<uuid:indicator_uuid>/retire/", views.indicator_retire, name="indicator_retire"),
]
