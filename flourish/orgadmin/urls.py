from django.urls import path

from . import views

app_name = "orgadmin"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:org>/", views.overview, name="overview"),
    path("<int:org>/members/", views.members, name="members"),
    path("<int:org>/members/invite/", views.invite, name="invite"),
    path("<int:org>/members/<int:person>/", views.person, name="person"),
    path("<int:org>/members/<int:person>/roles/", views.change_roles, name="roles"),
    path("<int:org>/members/<int:person>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:org>/members/<int:person>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:org>/members/<int:person>/remove/", views.remove, name="remove"),
    path("<int:org>/frameworks/", views.frameworks, name="frameworks"),
    path("<int:org>/frameworks/default/", views.choose_default, name="default_framework"),
    path("<int:org>/frameworks/upload/", views.upload_framework, name="upload_framework"),
    path("<int:org>/settings/", views.settings_page, name="settings"),
    path("<int:org>/settings/logo/", views.logo, name="logo"),
    path("<int:org>/logo", views.logo_image, name="logo_image"),
    path("<int:org>/sign-in/", views.identity_provider, name="identity_provider"),
]
