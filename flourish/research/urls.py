from django.urls import path

from . import views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.<str:fmt>", views.export, name="export"),
    path("model/", views.model, name="model"),
    path("model/<int:pk>/", views.run, name="run"),
    path("model/<int:pk>.json", views.run_json, name="run_json"),
    path("model/<int:pk>.csv", views.run_csv, name="run_csv"),
    path("consent/", views.consent, name="consent"),
    path("consent/r/<str:token>/", views.rater_consent, name="rater_consent"),
]
