"""The token-authenticated JSON API. Every endpoint uses the same per-object permission
lookups as the pages, and the same action functions for writes."""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from flourish.accounts.permissions import leader_organisations
from flourish.frameworks.actions import default_framework_slug
from flourish.frameworks.permissions import frameworks_for, get_version_for_user
from flourish.frameworks.serialise import framework_json
from flourish.selfassess import actions as self_actions
from flourish.selfassess.permissions import get_self_assessment_for_user, self_assessments_for

from .models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


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


@api.exception_handler(ValidationError)
def invalid(request, exc):
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error.get('loc', [])[1:]) or 'body'}: {error.get('msg')}"
        for error in exc.errors
    )
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
    return [
        {"slug": f.slug, "name": f.name, "version": f.latest().version}
        for f in frameworks_for(request.user).prefetch_related("versions")
        if f.latest()
    ]


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


@api.post("/self-assessments", response={201: AssessmentOut, 400: Message, 404: Message}, tags=["self-assessments"])
def start_self_assessment(request, payload: StartIn):
    """Start a self-assessment on the latest version of a framework (default: the model)."""
    organisations = leader_organisations(request.user)
    if payload.organisation is not None:
        organisations = organisations.filter(pk=payload.organisation)
    organisation = organisations.first()
    if organisation is None:
        raise HttpError(400, "You need the leader role in an organisation to self-assess.")
    version = get_version_for_user(request.user, payload.framework or default_framework_slug())
    return 201, _assessment(self_actions.start(request.user, organisation, version))


class AnswersIn(Schema):
    answers: dict[str, int | None]
    importance: int | None = None


@api.put(
    "/self-assessments/{int:pk}/processes/{process_id}",
    response={200: AssessmentOut, 404: Message, 409: Message},
    tags=["self-assessments"],
)
def save_process(request, pk: int, process_id: str, payload: AnswersIn):
    """Answers for one process: item id → 1–5, or null for "not able to observe"."""
    assessment = get_self_assessment_for_user(request.user, pk)
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
