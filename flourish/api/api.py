"""The token-authenticated JSON API. Every endpoint uses the same per-object permission
lookups as the pages, and the same action functions for writes."""

from datetime import datetime
from typing import Annotated

from django.http import Http404
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import Field

from flourish import audit
from flourish.accounts.permissions import leader_organisations
from flourish.frameworks.actions import default_framework_slug
from flourish.frameworks.permissions import frameworks_for, get_version_for_user
from flourish.frameworks.selectors import latest_versions
from flourish.frameworks.serialise import framework_json
from flourish.orgadmin.selectors import default_version_for
from flourish.selfassess import actions as self_actions
from flourish.selfassess.permissions import get_self_assessment_for_user, self_assessments_for

from . import actions
from .permissions import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user, found = user_for_token(token)
        if user is None:
            return None
        actions.record_use(found)  # at most once an hour per token (see actions.USE_RECORDED_EVERY)
        request.user = user
        return user


api = NinjaAPI(
    title="Flourish API",
    version="1",
    description=(
        "Frameworks and self-assessments as JSON. Send `Authorization: Bearer <token>`; "
        "create a token on your account page. Errors are JSON objects with a `message`."
    ),
    auth=TokenAuth(),
    docs_url=None,
    urls_namespace="ninja",
)


class Message(Schema):
    message: str


def _error(request, message: str, status: int):
    return api.create_response(request, {"message": message}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, str(exc) or "Not found.", 404)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return _error(request, "Send a valid token: Authorization: Bearer <token>.", 401)


def _where(loc) -> str:
    """Where a validation error is, as the client wrote it: ("body", "payload", "answers",
    "ts1") -> "answers.ts1" (the body's parameter name is ours, not the client's)."""
    parts = [str(part) for part in loc]
    parts = parts[2:] if parts[:1] == ["body"] else parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def invalid(request, exc):
    problems = "; ".join(f"{_where(error.get('loc', ()))}: {error.get('msg')}" for error in exc.errors)
    return _error(request, f"Invalid request: {problems}", 422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return _error(request, str(exc), exc.status_code)


@api.exception_handler(self_actions.NotAllowed)
def not_allowed(request, exc):
    return _error(request, str(exc), 409)


class FrameworkSummary(Schema):
    slug: str
    name: str
    version: int


@api.get("/frameworks", response=list[FrameworkSummary], tags=["frameworks"])
def list_frameworks(request):
    """Frameworks you can use: published ones and your organisations' own."""
    return [{"slug": v.framework.slug, "name": v.framework.name, "version": v.version}
            for v in latest_versions(frameworks_for(request.user)).order_by("framework__name", "framework__slug")]


@api.get("/frameworks/{slug}", response={200: dict, 404: Message}, tags=["frameworks"])
def get_framework(request, slug: str, version: int | None = None):
    """A framework version (the latest unless `version` is given): processes, items, scale, citation."""
    return framework_json(get_version_for_user(request.user, slug, version))


class FrameworkRef(Schema):
    slug: str
    version: int


class AssessmentOut(Schema):
    id: int
    organisation: str
    framework: FrameworkRef
    started: datetime
    completed: datetime | None
    answers: dict[str, int | None]
    importance: dict[str, int]
    focus: list[str]
    scores: dict[str, float | None]


def _assessment(a) -> dict:
    return {
        "id": a.pk,
        "organisation": a.organisation.name,
        "framework": {"slug": a.framework_version.slug, "version": a.framework_version.version},
        "started": a.started,
        "completed": a.completed,
        "answers": a.answers,
        "importance": a.importance,
        "focus": a.focus,
        "scores": a.scores(),
    }


@api.get("/self-assessments", response=list[AssessmentOut], tags=["self-assessments"])
def list_self_assessments(request):
    """Your own self-assessments, newest first."""
    return [_assessment(a) for a in self_assessments_for(request.user)]


@api.get("/self-assessments/{int:pk}", response={200: AssessmentOut, 404: Message}, tags=["self-assessments"])
def get_self_assessment(request, pk: int):
    return _assessment(get_self_assessment_for_user(request.user, pk))


class StartIn(Schema):
    framework: str | None = None
    organisation: int | None = None


@api.post(
    "/self-assessments",
    response={201: AssessmentOut, 400: Message, 404: Message, 422: Message},
    tags=["self-assessments"],
)
def start_self_assessment(request, payload: StartIn | None = None):
    """Start a self-assessment on the latest version of a framework (default: your
    organisation's default framework, else the model). The body is optional."""
    payload = payload or StartIn()
    organisations = leader_organisations(request.user)
    if payload.organisation is not None:
        organisations = organisations.filter(pk=payload.organisation)
    organisation = organisations.first()
    if organisation is None:
        raise HttpError(400, "You need the leader role in an organisation to self-assess.")
    if payload.framework:
        version = get_version_for_user(request.user, payload.framework)
    else:  # the organisation's default framework, else Flourish's
        chosen = default_version_for(organisation)
        version = get_version_for_user(request.user, chosen.slug if chosen else default_framework_slug())
    return Status(201, _assessment(self_actions.start(request.user, organisation, version)))


# A point on the 1–5 scale. Strict, so "4", 4.0 and true are refused rather than coerced.
ScalePoint = Annotated[int, Field(strict=True, ge=1, le=5)]


class AnswersIn(Schema):
    answers: dict[str, ScalePoint | None]
    importance: ScalePoint | None = None


@api.put(
    "/self-assessments/{int:pk}/processes/{process_id}",
    response={200: AssessmentOut, 404: Message, 409: Message, 422: Message},
    tags=["self-assessments"],
)
def save_process(request, pk: int, process_id: str, payload: AnswersIn):
    """Answers for one process: item id → 1–5, or null for "not able to observe".

    An unknown process is 404; an unknown item or an answer outside 1–5 is 422 and saves
    nothing; a completed self-assessment is 409."""
    assessment = get_self_assessment_for_user(request.user, pk)
    process = assessment.framework_version.process(process_id)
    if process is None:
        raise Http404("No such process.")
    unknown = set(payload.answers) - {item["id"] for item in process["items"]}
    if unknown:
        raise HttpError(422, f"Unknown item(s) for {process['name']}: {', '.join(sorted(unknown))}")
    self_actions.save_answers(assessment, process_id, payload.answers, payload.importance)
    return _assessment(get_self_assessment_for_user(request.user, pk))


@api.post(
    "/self-assessments/{int:pk}/complete",
    response={200: AssessmentOut, 404: Message, 409: Message},
    tags=["self-assessments"],
)
def complete_self_assessment(request, pk: int):
    assessment = self_actions.complete(get_self_assessment_for_user(request.user, pk))
    return _assessment(assessment)


# --- 360° feedback reports ------------------------------------------------------------
# Only the report stored when a cycle closed is ever returned: never individual answers.

class CycleOut(Schema):
    id: int
    title: str
    status: str
    released: datetime | None


@api.get("/cycles", response=list[CycleOut], tags=["reports"])
def list_cycles(request):
    """Feedback cycles whose report you may read (your own, and those shared with you),
    newest first. `released` is when the report was released, or null if it is not."""
    from flourish.feedback.permissions import readable_reports

    return [
        {"id": c.pk, "title": c.title, "status": c.status, "released": c.released_at}
        for c in readable_reports(request.user).order_by("-created", "-pk")
    ]


@api.get("/cycles/{int:pk}/report", response={200: dict, 404: Message, 409: Message}, tags=["reports"])
def get_cycle_report(request, pk: int):
    """The released report (the same object the page, the PDF and `flourish report` show;
    keys sorted). 404 if you may not read it; 409 if it is not released yet."""
    from django.http import HttpResponse

    from flourish.feedback.permissions import get_cycle_for_reader
    from flourish.feedback.presenters import not_released_message, report_json_text

    cycle = get_cycle_for_reader(request.user, pk)
    audit.record(request, "report-json-downloaded", cycle, via="api")
    if not cycle.is_released:
        raise HttpError(409, not_released_message(cycle))
    return HttpResponse(report_json_text(cycle.report), content_type="application/json")


class PulseWaveSummary(Schema):
    id: int
    label: str
    status: str
    closes_on: str
    closed_on: str | None


class PulseTeamOut(Schema):
    id: int
    name: str
    organisation: str
    waves: list[PulseWaveSummary]


@api.get("/pulse/teams", response=list[PulseTeamOut], tags=["pulse"])
def list_pulse_teams(request):
    """The teams whose integration pulse you lead, with their waves (oldest first)."""
    from flourish.pulse.permissions import teams_for
    from flourish.pulse.presenters import api_team

    return [api_team(team) for team in teams_for(request.user).prefetch_related("waves")]


@api.get("/pulse/teams/{int:pk}/waves/{int:wave_pk}", response={200: dict, 404: Message, 409: Message},
         tags=["pulse"])
def get_pulse_results(request, pk: int, wave_pk: int):
    """A closed wave's results, as the leader's page shows them (only what the disclosure
    ledger released; withheld figures are null with their `status`). Stable keys: `scores`
    (`key`, `name`, `mean`, `n`, `status`, `reasons`), `matrix` (`groups`, `cells` of
    `rater_group`, `rated_group`, `mean` and `status`, `pooled_rows`), `network` (`profession`
    and `agency`: `density`, `ei_index`, `nobody_works_with`, `groups`). 404 if it is not your
    team's; 409 while the wave is open."""
    from flourish.pulse.permissions import get_wave_for_user
    from flourish.pulse.presenters import api_results

    wave = get_wave_for_user(request.user, pk, wave_pk)
    if wave.results is None:
        raise HttpError(409, f"“{wave.label}” is still open: results are worked out when it closes.")
    audit.record(request, "pulse-results-read", wave, organisation=wave.team.organisation, via="api")
    return api_results(wave)
