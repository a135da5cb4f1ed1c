from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("docs", views.docs, name="docs"),
    path("tokens/new", views.create_token, name="create_token"),
    path("tokens/<int:pk>/revoke", views.revoke_token, name="revoke_token"),
]
