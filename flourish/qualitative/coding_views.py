"""The coding page of one source, on the user's own layer only (blind coding: other
layers' codings never appear here).

Two ways to code on the same page:
- by turn: one form per speaker turn with a checkbox per code (works without JavaScript,
  by keyboard and screen reader); saving sets exactly the ticked codes over the turn;
- by selection: static/qualitative/coding.js turns a text selection into code-point
  positions for the selection form, which without JavaScript takes typed positions.

A long transcript is shown `TURNS_PER_PAGE` turns at a time (``?page=``), and the list of
the user's codings `CODINGS_PER_PAGE` at a time (``?codings=``), so the page's size and its
queries do not grow with the transcript (a link to a turn goes to the page that holds it).
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import actions, selectors
from .forms import SelectionForm, TurnCodesForm
from .permissions import get_own_coding, get_source, get_workbench_for_user
from .presenters import code_rows, page, process_names

TURNS_PER_PAGE = 50
CODINGS_PER_PAGE = 200


def coding_url(project, source, number=None) -> str:
    url = reverse("qualitative:coding", args=[project.pk, source.pk])
    if not number:
        return url
    page_number = (number - 1) // TURNS_PER_PAGE + 1
    return f"{url}{f'?page={page_number}' if page_number > 1 else ''}#turn-{number}"


def _page_number(value, pages: int) -> int:
    try:
        return min(max(1, int(value)), pages)
    except (TypeError, ValueError):
        return 1


def turn_number_at(source, position: int) -> int | None:
    """The number (from 1) of the turn holding `position`, if any."""
    for index, (start, end, _, _) in enumerate(source.turns):
        if start <= position < end:
            return index + 1
    return None


def _code_choices(project):
    """Codes in codebook order with what to say under each: the process it stands for, or
    the code it sits under. Headings (``is_codable`` false, from another tool) are left out."""
    names = process_names(project)
    rows = code_rows(project)
    by_pk = {c.pk: c for c, _ in rows}
    choices = []
    for code, depth in rows:
        if not code.is_codable:  # a heading: its codes are offered, it is not
            continue
        if code.is_framework:
            hint = f"Process: {names.get(code.process_id, code.process_id)}"
        elif code.parent_id:
            hint = f"Sub-code of {by_pk[code.parent_id].name}"
        else:
            hint = "Emergent code"
        choices.append({"code": code, "depth": depth, "hint": hint})
    return choices


def _turns(source, mine, indexed):
    """Each turn of `indexed` ((index, turn) pairs) with its words (from after the speaker's
    label) and the codes the user has over exactly that span."""
    ticked = defaultdict(list)
    for coding in mine:
        ticked[(coding.start, coding.end)].append(coding.code)
    turns = []
    for index, (_, _, _, speaker) in indexed:
        start, end = actions.turn_span(source, index)
        codes = ticked.get((start, end), [])
        turns.append({
            "number": index + 1, "prefix": f"turn-{index + 1}-codes", "speaker": speaker, "start": start, "end": end,
            "text": source.text[start:end],
            "codes": codes, "ticked": {c.pk for c in codes},
        })
    return turns


def _pager(request, name: str, number: int, pages: int) -> list[dict]:
    """Links to the other pages (the other paging parameter kept)."""
    query = request.GET.copy()
    links = []
    for n in range(1, pages + 1):
        query[name] = str(n)
        links.append({"number": n, "current": n == number, "query": query.urlencode()})
    return links


def _coding_page(request, project, member, layer, source, selection_form=None, status=200):
    pages = max(1, -(-len(source.turns) // TURNS_PER_PAGE))
    number = _page_number(request.GET.get("page"), pages)
    indexed = list(enumerate(source.turns))[(number - 1) * TURNS_PER_PAGE:number * TURNS_PER_PAGE]
    span = (indexed[0][1][0], indexed[-1][1][1]) if indexed else (None, None)
    ticks = list(selectors.own_codings(source, layer, *span)) if indexed else []
    all_mine = selectors.own_codings(source, layer)
    n_mine = all_mine.count()
    coding_pages = max(1, -(-n_mine // CODINGS_PER_PAGE))
    coding_number = _page_number(request.GET.get("codings"), coding_pages)
    mine = list(all_mine[(coding_number - 1) * CODINGS_PER_PAGE:coding_number * CODINGS_PER_PAGE])
    selection_form = selection_form or SelectionForm(prefix="selection", codes=project.codes.all())
    return page(request, "qualitative/coding.html", project, member, "sources", {
        "source": source, "turns": _turns(source, ticks, indexed), "choices": _code_choices(project), "mine": mine,
        "selection_form": selection_form, "form": selection_form,
        "selected": {int(v) for v in selection_form["codes"].value() or [] if str(v).isdigit()},
        "turn_pages": _pager(request, "page", number, pages) if pages > 1 else [],
        "coding_pages": _pager(request, "codings", coding_number, coding_pages) if coding_pages > 1 else [],
        "n_mine": n_mine, "n_turns": len(source.turns),
        "first_turn": indexed[0][0] + 1 if indexed else 0, "last_turn": indexed[-1][0] + 1 if indexed else 0,
    }, status=status)


@login_required
def coding(request, pk, source_pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    return _coding_page(request, project, member, layer, get_source(project, source_pk))


@login_required
@require_POST
def set_turn_codes(request, pk, source_pk, number):
    project, _, layer = get_workbench_for_user(request.user, pk)
    source = get_source(project, source_pk)
    if not 1 <= number <= len(source.turns):
        raise Http404("No such turn.")
    back = coding_url(project, source, number)
    form = TurnCodesForm(request.POST, codes=project.codes.all())
    if not form.is_valid():
        messages.error(request, f"Turn {number} was not saved: choose codes from this project's codebook.")
        return redirect(back)
    codes = list(form.cleaned_data["codes"])
    try:
        actions.set_turn_codes(layer, source, number - 1, codes, user=request.user)
    except actions.NotAllowed as problem:
        messages.error(request, f"Turn {number} was not saved. {problem}")
        return redirect(back)
    names = ", ".join(c.name for c in codes)
    messages.success(request, f"Turn {number} saved: {names}." if codes else f"Turn {number} saved with no codes.")
    return redirect(back)


@login_required
@require_POST
def apply_codes(request, pk, source_pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    source = get_source(project, source_pk)
    form = SelectionForm(request.POST, prefix="selection", codes=project.codes.all())
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        # The words the person saw (sent by the script); browsers send line breaks as CRLF.
        quote = form.cleaned_data["quote"].replace("\r\n", "\n")
        if quote and source.text[start:end] != quote:
            form.add_error(None, "The selection does not match the transcript (it may have been revised since "
                                 "you opened the page). Reload the page and select the words again.")
        else:
            codes = list(form.cleaned_data["codes"])
            try:
                actions.apply_codes(layer, source, start, end, codes, user=request.user)
            except actions.NotAllowed as problem:
                form.add_error(None, str(problem))
            else:
                words = source.text[start:end]
                shown = words if len(words) <= 60 else words[:57] + "…"
                messages.success(request, f"Coded “{shown}” with {', '.join(c.name for c in codes)}.")
                return redirect(coding_url(project, source, turn_number_at(source, start)))
    return _coding_page(request, project, member, layer, source, selection_form=form, status=400)


@login_required
@require_POST
def remove_coding(request, pk, coding_pk):
    project, _, layer = get_workbench_for_user(request.user, pk)
    found = get_own_coding(project, layer, coding_pk)
    source, name = found.source, found.code.name
    actions.remove_coding(found)
    messages.success(request, f"Removed the code “{name}” from {source.name}.")
    if request.POST.get("back") == "source":
        return redirect("qualitative:source", pk=project.pk, source_pk=source.pk)
    return redirect(coding_url(project, source))
