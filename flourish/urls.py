from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from flourish.api.api import api
from flourish.core import views as core_views
from flourish.home import views as home_views
from flourish.rights import views as rights_views

admin.site.site_header = "Flourish administration"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("model/", include("flourish.frameworks.urls")),
    path("account/", include("flourish.accounts.urls")),
    path("self-assessment/", include("flourish.selfassess.urls")),
    path("feedback/", include("flourish.feedback.urls")),
    path("r/", include("flourish.feedback.rater_urls")),
    path("pulse/", include("flourish.pulse.urls")),
    path("p/", include("flourish.pulse.respond_urls")),
    path("development/", include("flourish.development.urls")),
    path("sets/", include("flourish.sets.urls")),
    path("research/", include("flourish.research.urls")),
    path("coding/", include("flourish.qualitative.urls")),
    path("organisation/", include("flourish.orgadmin.urls")),
    path("sign-in/organisation/", include("flourish.orgadmin.signin_urls")),
    path("your-data/", include("flourish.rights.urls")),
    path("privacy/", rights_views.privacy, name="privacy"),
    path("accessibility/", rights_views.accessibility, name="accessibility"),
    path("organisation/<int:org>/audit/", include("flourish.audit.urls")),
    path("jobs/", include("flourish.jobs.urls")),
    path("api/", include("flourish.api.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.BENCH_FLOOR:  # bench/bench_load.py only; never in production (flourish.E002)
    urlpatterns.append(path("bench/", include("flourish.ops.urls")))
