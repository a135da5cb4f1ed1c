"""The questionnaire a rater answers from their personal link: no account, often on a
phone. Every page starts from the link's token; a bad link learns nothing about the
cycle, a withdrawn link or a closed cycle gets a polite page and nothing is saved."""


from django.http import Http404
from django.shortcuts import redirect, render

from . import actions
from .permissions import get_rater_for_token
from .presenters import answers_of
from .ratelimits import limit_rater_links, personal_link_page
from .rater_forms import COMMENT_MAX, RaterPageForm, SubmitForm


def _submitted(rater_answers) -> bool:
    return rater_answers is not None and rater_answers.submitted_at is not None


def _closed_page(request, rater, rater_answers, token):
    """None if the rater may answer now; otherwise the page to show instead."""
    cycle = rater.cycle
    if rater.revoked_at is not None:
        return render(request, "feedback/rate/withdrawn.html", status=410)
    if cycle.is_closed:
        # After close the answers are no longer linked to this link (nor to anyone), so
        # the page cannot say whether this person answered, and does not.
        return render(request, "feedback/rate/closed.html", {"severed": True, "token": token}, status=410)
    if cycle.is_past_closing_date or not cycle.is_open:
        submitted = _submitted(rater_answers)
        return render(request, "feedback/rate/closed.html", {"submitted": submitted, "token": token},
                      status=200 if submitted else 410)
    return None


def rater_page(view):
    """Rate-limit, find the rater from the token (404 if unknown), stop at a withdrawn
    link or a closed cycle, and turn a refused action into a polite page."""

    @limit_rater_links
    def limited(request, token, **kwargs):
        try:
            rater = get_rater_for_token(token)
        except Http404:
            # Written for a rater, who has no account: not the site's sign-in-minded 404.
            return render(request, "feedback/rate/bad_link.html", status=404)
        rater_answers = answers_of(rater)
        stop = _closed_page(request, rater, rater_answers, token)
        if stop is not None:
            return stop
        try:
            return view(request, token=token, rater=rater, rater_answers=rater_answers, **kwargs)
        except actions.NotAllowed as problem:
            # The state changed while the page was open (closed, withdrawn) or the
            # request was not one the questionnaire can make.
            rater.refresh_from_db()
            rater.cycle.refresh_from_db()
            rater_answers = answers_of(rater)
            stop = _closed_page(request, rater, rater_answers, token)
            if stop is not None:
                return stop
            return render(request, "feedback/rate/problem.html", {"message": str(problem), "token": token},
                          status=409)

    return personal_link_page(view, limited)


def _first_unanswered_step(version, rater_answers) -> int | None:
    answers = rater_answers.answers if rater_answers is not None else {}
    for number, process in enumerate(version.processes, start=1):
        if any(item["id"] not in answers for item in process["items"]):
            return number
    return None


def _common(token, rater, rater_answers) -> dict:
    cycle = rater.cycle
    return {
        "token": token, "cycle": cycle, "leader_name": cycle.leader.display_name,
        "organisation_name": cycle.organisation.name, "submitted": _submitted(rater_answers),
        "has_answers": rater_answers is not None,
        "asks_line_manager_consent": actions.asks_line_manager_consent(rater),
    }


@rater_page
def start(request, token, rater, rater_answers):
    version = rater.cycle.framework_version
    started = rater_answers is not None and bool(rater_answers.answers or rater_answers.comments)
    next_step = _first_unanswered_step(version, rater_answers)
    return render(request, "feedback/rate/start.html", {
        **_common(token, rater, rater_answers),
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
def step(request, token, rater, rater_answers, step):
    version = rater.cycle.framework_version
    process = _process_at(version, step)
    scale = version.document["scale"]
    if request.method == "POST":
        form = RaterPageForm(request.POST, process=process, scale=scale)
        later = "save_and_return" in request.POST
        if form.is_valid() and (later or form.require_all()):
            actions.save_page(rater, process["id"], form.answers(), form.comment())
            if later:
                return render(request, "feedback/rate/saved.html", _common(token, rater, rater_answers))
            if step < len(version.processes):
                return redirect("rate:step", token=token, step=step + 1)
            return redirect("rate:review", token=token)
    else:
        form = RaterPageForm(initial=RaterPageForm.initial_for(rater_answers, process), process=process,
                             scale=scale)
    return render(request, "feedback/rate/step.html", {
        **_common(token, rater, rater_answers),
        "process": process, "form": form, "step": step, "steps": len(version.processes),
        "not_observed": scale["not_observed"], "scale_points": scale["points"], "comment_max": COMMENT_MAX,
    }, status=400 if form.errors else 200)


def _sections(version, rater_answers):
    labels = version.scale_labels()
    not_observed = version.document["scale"]["not_observed"]
    answers = rater_answers.answers if rater_answers is not None else {}
    comments = rater_answers.comments if rater_answers is not None else {}
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
                         "missing": sum(1 for row in rows if not row["answer"]),
                         "comment": comments.get(process["id"], "")})
    return sections


@rater_page
def review(request, token, rater, rater_answers):
    version = rater.cycle.framework_version
    missing_step = _first_unanswered_step(version, rater_answers)
    error = None
    asks = actions.asks_line_manager_consent(rater)
    form = SubmitForm(request.POST if request.method == "POST" else None, ask_line_manager=asks, initial={
        "line_manager_consented": bool(rater_answers and rater_answers.line_manager_consented),
    })
    if request.method == "POST":
        if missing_step is not None:
            error = "Answer every question before you send your feedback. You can choose “not able to observe”."
        elif form.is_valid():
            actions.submit(rater, line_manager_consented=form.consented())
            return redirect("rate:thanks", token=token)
    return render(request, "feedback/rate/review.html", {
        **_common(token, rater, rater_answers),
        "sections": _sections(version, rater_answers), "error": error, "missing_step": missing_step,
        "last_step": len(version.processes), "form": form,
    }, status=400 if error or form.errors else 200)


@rater_page
def thanks(request, token, rater, rater_answers):
    if not _submitted(rater_answers):
        return redirect("rate:start", token=token)
    return render(request, "feedback/rate/thanks.html", _common(token, rater, rater_answers))


@rater_page
def withdraw(request, token, rater, rater_answers):
    """Delete my answers: a confirmation page, then the deletion (before close only)."""
    if request.method == "POST":
        actions.withdraw_answers(rater)
        return render(request, "feedback/rate/withdrawn_answers.html", _common(token, rater, None))
    return render(request, "feedback/rate/withdraw.html", _common(token, rater, rater_answers))
