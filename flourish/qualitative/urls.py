"""Routes of the qualitative workbench, under /coding/. Each area's views live in their own
module; keep each area's paths together."""

from django.urls import path

from . import (
    agreement_views,
    assist_views,
    codebook_views,
    coding_views,
    exchange_views,
    synthesis_views,
    views,
)

app_name = "qualitative"
urlpatterns = [
    # projects, members, sources, attributes, codebook, memos (views.py, codebook_views.py)
    path("", views.index, name="index"),
    path("<int:pk>/", views.project, name="project"),
    path("<int:pk>/members/", views.add_member, name="add_member"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.remove_member, name="remove_member"),
    path("<int:pk>/sources/", views.sources, name="sources"),
    path("<int:pk>/sources/<int:source_pk>/", views.source, name="source"),
    path("<int:pk>/sources/<int:source_pk>/attributes/", views.source_attributes, name="source_attributes"),
    path("<int:pk>/sources/<int:source_pk>/revise/", views.revise_source, name="revise_source"),
    path("<int:pk>/sources/<int:source_pk>/delete/", views.delete_source, name="delete_source"),
    path("<int:pk>/speakers/", views.speakers, name="speakers"),
    path("<int:pk>/speakers/<int:speaker_pk>/", views.speaker, name="speaker"),
    path("<int:pk>/codebook/", codebook_views.codebook, name="codebook"),
    path("<int:pk>/codebook/<int:code_pk>/", codebook_views.code, name="code"),
    path("<int:pk>/codebook/<int:code_pk>/delete/", codebook_views.delete_code, name="delete_code"),
    path("<int:pk>/memos/", codebook_views.memos, name="memos"),
    path("<int:pk>/memos/<int:memo_pk>/", codebook_views.memo, name="memo"),
    path("<int:pk>/memos/<int:memo_pk>/delete/", codebook_views.delete_memo, name="delete_memo"),
    # coding (coding_views.py)
    path("<int:pk>/sources/<int:source_pk>/coding/", coding_views.coding, name="coding"),
    path(
        "<int:pk>/sources/<int:source_pk>/coding/turns/<int:number>/", coding_views.set_turn_codes,
        name="set_turn_codes",
    ),
    path("<int:pk>/sources/<int:source_pk>/coding/selection/", coding_views.apply_codes, name="apply_codes"),
    path("<int:pk>/codings/<int:coding_pk>/remove/", coding_views.remove_coding, name="remove_coding"),
    # agreement and adjudication (agreement_views.py)
    path("<int:pk>/compare/", agreement_views.compare, name="compare"),
    path("<int:pk>/agreement/", agreement_views.agreement, name="agreement"),
    path("<int:pk>/agreement.<str:fmt>", agreement_views.agreement_download, name="agreement_download"),
    path("<int:pk>/adjudication/", agreement_views.adjudication_page, name="adjudication"),
    path("<int:pk>/adjudication/decide/", agreement_views.adjudicate, name="adjudicate"),
    path("<int:pk>/adjudication/accept/", agreement_views.accept_agreements, name="accept_agreements"),
    # synthesis, model check, quotation exports (synthesis_views.py)
    path("<int:pk>/synthesis/", synthesis_views.synthesis, name="synthesis"),
    path("<int:pk>/model-check/", synthesis_views.model_check, name="model_check"),
    path("<int:pk>/quotations.<str:fmt>", synthesis_views.quotations_export, name="quotations_export"),
    path("<int:pk>/quotations/pdf/", synthesis_views.prepare_quotations_pdf, name="prepare_quotations_pdf"),
    # REFI-QDA exchange in the browser (exchange_views.py)
    path("import/", exchange_views.import_qdpx, name="import_qdpx"),
    path("<int:pk>/exchange/", exchange_views.exchange_page, name="exchange"),
    path("<int:pk>/exchange/codebook/", exchange_views.import_qdc, name="import_qdc"),
    path("<int:pk>/export.qdpx", exchange_views.export_qdpx, name="export_qdpx"),
    path("<int:pk>/codebook.qdc", exchange_views.export_qdc, name="export_qdc"),
    # assisted coding (assist_views.py)
    path("<int:pk>/assist/", assist_views.assist_page, name="assist"),
    path("<int:pk>/assist/run/", assist_views.run, name="assist_run"),
    path("<int:pk>/assist/<int:coding_pk>/accept/", assist_views.accept, name="assist_accept"),
    path("<int:pk>/assist/<int:coding_pk>/reject/", assist_views.reject, name="assist_reject"),
]
