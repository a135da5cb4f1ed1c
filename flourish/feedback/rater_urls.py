from django.urls import path

from . import rater_views

app_name = "rate"
urlpatterns = [
    path("<str:token>/", rater_views.start, name="start"),
    path("<str:token>/process/<int:step>/", rater_views.step, name="step"),
    path("<str:token>/review/", rater_views.review, name="review"),
    path("<str:token>/thank-you/", rater_views.thanks, name="thanks"),
    path("<str:token>/delete-my-answers/", rater_views.withdraw, name="withdraw"),
]
