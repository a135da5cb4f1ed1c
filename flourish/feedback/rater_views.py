"""The questionnaire a rater answers from their personal link: no account, often on a
phone. Every page starts from the link's token; a bad link learns nothing about the
cycle, a withdrawn link or a closed cycle gets a polite page and nothing is saved."""

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.exceptions import Ratelimited

from . import actions
from .models import Response
from .permissions import get_rater_for_token
from .ratelimits import limit_rater_links
from .rater_forms import COMMENT_MAX, RaterPageForm



def _response_of(rater):
    return Response.objects.filter(rater=rater).first()


def _submitted(response) -> bool:
    return response is not None and response.submitted_at is not None


def _closed_page(request, rater, response, token):
    """None if the rater may answer now; otherwise the page to show instead."""
    cycle = rater.cycle
    if rater.revoked_at is not None:
        return render(request, "feedback/rate/withdrawn.html", status=410)
    if cycle.is_closed or cycle.is_past_closing_date or not cycle.is_open:
        submitted = _submitted(response)
        return render(request, "feedback/rate/closed.html", {"submitted": submitted, "token": token},
                      status=200 if submitted else 410)
    return None


def rater_page(view):
    """Rate-limit, find the rater from the token (404 if unknown), stop at a withdrawn
    link or a closed cycle, and turn a refused action into a polite page."""

    @limit_rater_links
    def limited(request, token, **kwargs):
        rater = get_rater_for_token(token)
        response = _response_of(rater)
        stop = _closed_page(request, rater, response, token)
        if stop is not None:
            return stop
        try:
            return view(request, token=token, rater=rater, response=response, **kwargs)
        except actions.NotAllowed as problem:
            # The state changed while the page was open (closed, withdrawn) or the
            # request was not one the questionnaire can make.
            rater.refresh_from_db()
            rater.cycle.refresh_from_db()
            response = _response_of(rater)
            stop = _closed_page(request, rater, response, token)
            if stop is not None:
                return stop
            return render(request, "feedback/rate/problem.html", {"message": str(problem), "token": token},
                          status=409)

    @wraps(view)
    @never_cache
    def wrapper(request, token, **kwargs):
        try:
            result = limited(request, token, **kwargs)
        except Ratelimited:
            result = render(request, "feedback/rate/too_many.html", status=429)
            result["Retry-After"] = "60"
        result["X-Robots-Tag"] = "noindex, nofollow"
        return result

    return wrapper


def _first_unanswered_step(version, response) -> int | None:
    answers = response.answers if response is not None else {}
    for number, process in enumerate(version.processes, start=1):
        if any(item["id"] not in answers for item in process["items"]):
            return number
    return None


def _common(token, rater, response) -> dict:
    cycle = rater.cycle
    return {
        "token": token, "cycle": cycle, "leader_name": cycle.leader.display_name,
        "organisation_name": cycle.organisation.name, "submitted": _submitted(response),
    }


@rater_page
def start(request, token, rater, response):
    version = rater.cycle.framework_version
    started = response is not None and bool(response.answers or response.comments)
    next_step = _first_unanswered_step(version, response)
    return render(request, "feedback/rate/start.html", {
        **_common(token, rater, response),
        "rater": rater,
        "minutes": actions.questionnaire_minutes(version),
        "questions": version.item_count,
        "processes": len(version.processes),
        "not_observed": version.document["scale"]["not_observed"],
        "started": started,
        "next_step": next_step,
    })


def _process_at(version, step: int) -> dict:
    processes = version.processes
    if not 1 <= step <= len(processes):
        raise Http404("No such step.")
    return processes[step - 1]


@rater_page
def step(request, token, rater, response, step):
    version = rater.cycle.framework_version
    process = _process_at(version, step)
    scale = version.document["scale"]
    if request.method == "POST":
        form = RaterPageForm(request.POST, process=process, scale=scale)
        later = "save_and_return" in request.POST
        if form.is_valid() and (later or form.require_all()):
            actions.save_page(rater, process["id"], form.answers(), form.comment())
            if later:
                return render(request, "feedback/rate/saved.html", _common(token, rater, response))
            if step < len(version.processes):
                return redirect("rate:step", token=token, step=step + 1)
            return redirect("rate:review", token=token)
    else:
        form = RaterPageForm(initial=RaterPageForm.initial_for(response, process), process=process, scale=scale)
    return render(request, "feedback/rate/step.html", {
        **_common(token, rater, response),
        "process": process, "form": form, "step": step, "steps": len(version.processes),
        "not_observed": scale["not_observed"], "comment_max": COMMENT_MAX,
    }, status=400 if form.errors else 200)


def _sections(version, response):
    labels = version.scale_labels()
    not_observed = version.document["scale"]["not_observed"]
    answers = response.answers if response is not None else {}
    comments = response.comments if response is not None else {}
    sections = []
    for number, process in enumerate(version.processes, start=1):
        rows = []
        for item in process["items"]:
            if item["id"] not in answers:
                shown = None
            elif answers[item["id"]] is None:
                shown = not_observed
            else:
                value = answers[item["id"]]
                shown = f"{value} – {labels.get(value, '')}"
            rows.append({"item": item, "answer": shown})
        sections.append({"process": process, "step": number, "rows": rows,
                         "comment": comments.get(process["id"], "")})
    return sections


@rater_page
def review(request, token, rater, response):
    version = rater.cycle.framework_version
    missing_step = _first_unanswered_step(version, response)
    error = None
    if request.method == "POST":
        if missing_step is not None:
            error = "Answer every question before you send your feedback. You can choose “not able to observe”."
        else:
            actions.submit(rater)
            return redirect("rate:thanks", token=token)
    return render(request, "feedback/rate/review.html", {
        **_common(token, rater, response),
        "sections": _sections(version, response), "error": error, "missing_step": missing_step,
        "last_step": len(version.processes),
    }, status=400 if error else 200)


@rater_page
def thanks(request, token, rater, response):
    if not _submitted(response):
        return redirect("rate:start", token=token)
    return render(request, "feedback/rate/thanks.html", _common(token, rater, response))
