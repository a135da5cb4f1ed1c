from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:job_id>/", views.progress, name="progress"),
    path("<uuid:job_id>/status.json", views.status, name="status"),
    path("<uuid:job_id>/download", views.download, name="download"),
    path("<uuid:job_id>/retry/", views.retry, name="retry"),
]
