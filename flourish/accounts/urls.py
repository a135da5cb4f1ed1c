from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import path

from . import views
from .forms import QueuedPasswordResetForm, SignInForm

urlpatterns = [
    path(
        "sign-in/",
        # Password hashing takes a while: on SQLite it must not hold the write lock.
        transaction.non_atomic_requests(auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        )),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", views.account, name="account"),
]
