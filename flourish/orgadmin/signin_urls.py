from django.urls import path

from . import oidc, signin_views

urlpatterns = [
    path("", signin_views.sign_in, name="oidc_sign_in"),
    path("start/", oidc.OrganisationAuthRequestView.as_view(), name="oidc_start"),
    path("callback/", oidc.OrganisationCallbackView.as_view(), name="oidc_callback"),
]
