from django.urls import path

from . import journal_views, views

app_name = "development"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_plan, name="new_plan"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/pdf/", views.prepare_plan_pdf, name="prepare_plan_pdf"),
    path("plans/<int:pk>/goals/<slug:process_id>/", views.set_goal, name="set_goal"),
    path("plans/<int:pk>/processes/<slug:process_id>/actions/", views.add_action, name="add_action"),
    path("plans/<int:pk>/actions/<int:action_pk>/", views.action_detail, name="action"),
    path("plans/<int:pk>/reviews/", views.add_review, name="add_review"),
    path("plans/<int:pk>/reviews/<int:review_pk>/", views.review_detail, name="review"),
    path("journal/", journal_views.journal, name="journal"),
    path("journal/new/", journal_views.new_entry, name="new_entry"),
    path("journal/<int:pk>/", journal_views.entry_detail, name="entry"),
    path("journal/<int:pk>/edit/", journal_views.edit_entry, name="edit_entry"),
    path("journal/<int:pk>/delete/", journal_views.delete_entry, name="delete_entry"),
]
