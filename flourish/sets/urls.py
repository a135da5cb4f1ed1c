from django.urls import path

from . import views

app_name = "sets"
urlpatterns = [
    path("", views.index, name="list"),
    path("join/<str:token>/", views.join, name="join"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/cycles/new/", views.start_par_cycle, name="start_par_cycle"),
    path("<int:pk>/cycles/<int:number>/", views.par_cycle, name="par_cycle"),
    path("<int:pk>/sharing/", views.sharing_choice, name="sharing"),
    path("<int:pk>/journal/", views.share_journal, name="share_journal"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/story/", views.story, name="story"),
    path("<int:pk>/cohort/", views.cohort_view, name="cohort"),
    path("<int:pk>/cohort/release/", views.cohort_release, name="cohort_release"),
    path("<int:pk>/record.<str:fmt>", views.export_record, name="export"),
    path("<int:pk>/record/pdf/", views.prepare_record_pdf, name="prepare_record_pdf"),
]
