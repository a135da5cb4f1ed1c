from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [path("floor", views.floor, name="bench-floor")]
