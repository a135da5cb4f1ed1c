from django.urls import path

from . import views

app_name = "pulse"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create_team, name="create_team"),
    path("<int:pk>/", views.team, name="team"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.remove_member, name="remove_member"),
    path("<int:pk>/waves/<int:wave_pk>/close/", views.close_wave, name="close_wave"),
    path("<int:pk>/waves/<int:wave_pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/waves/<int:wave_pk>/", views.results, name="results"),
]
