from django.urls import path

from . import views

app_name = "frameworks"
urlpatterns = [
    path("", views.default, name="default"),
    path("about/", views.about, name="about"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/about/", views.about, name="about_framework"),
    path("<slug:slug>/<slug:process_id>/", views.process, name="process"),
]
