"""Routes of the qualitative workbench, under /coding/. Each area's views live in their own
module; keep each area's paths together."""

from django.urls import path

from . import views

app_name = "qualitative"
urlpatterns = [
    # projects, members, sources, attributes, codebook, memos (views.py)
    path("", views.index, name="index"),
    # coding (coding_views.py)
    # agreement and adjudication (agreement_views.py)
    # synthesis, model check, quotation exports (synthesis_views.py)
    # REFI-QDA exchange in the browser (exchange_views.py)
    # assisted coding (assist_views.py)
]
