from django.urls import path

from . import report_views, views

app_name = "feedback"
urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/raters/", views.add_rater, name="add_rater"),
    path("<int:pk>/raters/upload/", views.upload_raters, name="upload_raters"),
    path("<int:pk>/raters/<int:rater_pk>/revoke/", views.revoke_rater, name="revoke_rater"),
    path("<int:pk>/raters/<int:rater_pk>/restore/", views.restore_rater, name="restore_rater"),
    path("<int:pk>/closing-date/", views.closing_date, name="closing_date"),
    path("<int:pk>/send-for-approval/", views.send_for_approval, name="send_for_approval"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/approve/return/", views.return_list, name="return_list"),
    path("<int:pk>/approve/raters/", views.approver_add_rater, name="approver_add_rater"),
    path("<int:pk>/approve/raters/<int:rater_pk>/remove/", views.approver_remove_rater,
         name="approver_remove_rater"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/report/", report_views.report_page, name="report"),
    path("<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("<int:pk>/report/pdf/", report_views.prepare_pdf, name="prepare_pdf"),
    path("<int:pk>/report.json", report_views.report_json, name="report_json"),
]
