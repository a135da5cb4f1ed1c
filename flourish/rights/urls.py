from django.urls import path

from . import views

app_name = "rights"
urlpatterns = [
    path("", views.your_data, name="your_data"),
    path("download.json", views.download, name="download"),
    path("erase/", views.erase, name="erase"),
    path("reports/<int:pk>/sharing/", views.sharing, name="sharing"),
    path("reports/<int:pk>/sharing/<int:person>/remove/", views.unshare, name="unshare"),
]
