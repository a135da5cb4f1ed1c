from django.urls import path

from . import views

app_name = "selfassess"
urlpatterns = [
    path("", views.index, name="list"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="profile"),
    path("<int:pk>/step/<int:step>/", views.step, name="step"),
    path("<int:pk>/review/", views.review, name="review"),
]
