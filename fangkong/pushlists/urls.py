from django.urls import URLPattern, path

from fangkong.pushlists import views

app_name = "pushlists"

urlpatterns: list[URLPattern] = [
    path("", views.batch_list, name="list"),
    path("upload/", views.batch_upload, name="upload"),
    path("batches/<uuid:batch_uuid>/", views.batch_detail, name="batch"),
    path("batches/<uuid:batch_uuid>/progress/", views.batch_progress, name="progress"),
    path("batches/<uuid:batch_uuid>/errors.xlsx", views.batch_errors, name="errors"),
    path("batches/<uuid:batch_uuid>/feedback.xlsx", views.batch_feedback, name="feedback"),
    path("batches/<uuid:batch_uuid>/rerun/", views.batch_rerun, name="rerun"),
    path("queue/", views.queue, name="queue"),
    path("items/", views.item_list, name="items"),
    path("items/dispatch/", views.item_dispatch, name="dispatch"),
    path("items/<uuid:item_uuid>/", views.item_verify, name="verify"),
    path("items/<uuid:item_uuid>/person/", views.item_person, name="person"),
    path("overdue/", views.overdue, name="overdue"),
]
