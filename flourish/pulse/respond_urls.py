from django.urls import path

from . import respond_views

app_name = "pulse_respond"
urlpatterns = [
    path("<str:token>/", respond_views.start, name="start"),
    path("<str:token>/section/<str:name>/", respond_views.section, name="section"),
    path("<str:token>/check/", respond_views.review, name="review"),
    path("<str:token>/thank-you/", respond_views.thanks, name="thanks"),
    path("<str:token>/delete-my-answers/", respond_views.withdraw, name="withdraw"),
]
