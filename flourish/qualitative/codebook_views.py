"""Pages for the codebook (a tree of codes; framework codes stand for the model's processes)
and for memos on the project, codes, sources and the user's own codings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import actions, selectors
from . import codebook as guidance
from .forms import AddCodeForm, CodeForm, MemoForm
from .permissions import (
    can_edit_code,
    get_code,
    get_editable_code,
    get_own_coding,
    get_own_memo,
    get_source,
    get_workbench_for_user,
    visible_memos,
)
from .presenters import code_tree, page, process_names, provenance

# --- codebook -------------------------------------------------------------------------------

def _codebook_page(request, project, member, layer, form=None, status=200):
    codes = selectors.codes_with_counts(project, layer)
    if form is None:
        wanted = request.GET.get("parent", "")
        parent = project.codes.filter(pk=wanted).first() if wanted.isdigit() else None
        form = AddCodeForm(codes=project.codes.all(), initial={
            "parent": parent, "colour": guidance.PALETTE[project.codes.count() % len(guidance.PALETTE)]})
    return page(request, "qualitative/codebook.html", project, member, "codebook", {
        "tree": code_tree(project, codes), "processes": process_names(project),
        "provenance": provenance(project), "form": form,
    }, status=status)


@login_required
def codebook(request, pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    if request.method != "POST":
        return _codebook_page(request, project, member, layer)
    form = AddCodeForm(request.POST, codes=project.codes.all())
    if form.is_valid():
        try:
            code = actions.add_code(project, request.user, form.cleaned_data["name"], form.cleaned_data["parent"],
                                    **form.fields_for_action())
        except actions.NotAllowed as problem:
            form.add_error("name", str(problem))
        else:
            messages.success(request, f"The code “{code.name}” is added.")
            return redirect("qualitative:code", pk=pk, code_pk=code.pk)
    return _codebook_page(request, project, member, layer, form=form, status=400)


def _code_page(request, project, member, code, form=None, status=200):
    editable = can_edit_code(request.user, member, code)
    if form is None and editable:
        form = CodeForm(initial={
            "name": code.name, "definition": code.definition, "inclusion": code.inclusion,
            "exclusion": code.exclusion, "examples": "\n".join(code.examples),
            "colour": code.colour or guidance.PALETTE[code.order % len(guidance.PALETTE)],
        })
    return page(request, "qualitative/code.html", project, member, "codebook", {
        "code": code, "process": process_names(project).get(code.process_id, code.process_id),
        "provenance": provenance(project) if code.is_framework else "", "form": form, "editable": editable,
        "can_delete": editable and not code.is_framework,
        "children": code.children.all(), "memos": code.memos.select_related("author"), "memo_form": MemoForm(),
    }, status=status)


@login_required
def code(request, pk, code_pk):
    project, member, _ = get_workbench_for_user(request.user, pk)
    if request.method != "POST":
        return _code_page(request, project, member, get_code(project, code_pk))
    found = get_editable_code(request.user, project, member, code_pk)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            actions.update_code(found, **form.fields_for_action())
        except actions.NotAllowed as problem:
            form.add_error("name", str(problem))
        else:
            messages.success(request, f"The code “{found.name}” is saved.")
            return redirect("qualitative:code", pk=pk, code_pk=found.pk)
    found.refresh_from_db()
    return _code_page(request, project, member, found, form=form, status=400)


@login_required
@require_POST
def delete_code(request, pk, code_pk):
    project, member, _ = get_workbench_for_user(request.user, pk)
    found = get_editable_code(request.user, project, member, code_pk)
    try:
        actions.delete_code(found, by=request)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
        return redirect("qualitative:code", pk=pk, code_pk=found.pk)
    messages.success(request, f"The code “{found.name}” is deleted.")
    return redirect("qualitative:codebook", pk=pk)


# --- memos ----------------------------------------------------------------------------------

TARGETS = ("code", "source", "coding")


def _target(request, project, layer, query):
    """The memo's target named in the query string (?code=, ?source=, ?coding=), or None for
    the project. Codings are only the user's own (others' layers stay unseen)."""
    for kind in TARGETS:
        if kind in query:
            pk = query.get(kind)
            if kind == "code":
                return kind, get_code(project, pk)
            if kind == "source":
                return kind, get_source(project, pk)
            return kind, get_own_coding(project, layer, pk)
    return None, None


def memos_url(project, memo=None, kind=None, target=None) -> str:
    url = reverse("qualitative:memos", args=[project.pk])
    if memo is not None:
        kind = next((k for k in TARGETS if getattr(memo, f"{k}_id")), None)
        target_pk = getattr(memo, f"{kind}_id") if kind else None
    else:
        target_pk = target.pk if target is not None else None
    return f"{url}?{kind}={target_pk}" if kind else url


@login_required
def memos(request, pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    kind, target = _target(request, project, layer, request.GET)
    form = MemoForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            actions.add_memo(project, request.user, form.cleaned_data["text"], target, form.cleaned_data["name"])
        except actions.NotAllowed as problem:
            form.add_error("text", str(problem))
        else:
            messages.success(request, "Your memo is saved.")
            return redirect(memos_url(project, kind=kind, target=target))
    shown = visible_memos(project, layer)
    if target is not None:
        shown = shown.filter(**{kind: target})
    groups = [
        ("About the project", [m for m in shown if m.target is None]),
        ("About codes", [m for m in shown if m.code_id]),
        ("About sources", [m for m in shown if m.source_id]),
        ("About your codings", [m for m in shown if m.coding_id]),
    ]
    return page(request, "qualitative/memos.html", project, member, "memos", {
        "kind": kind, "target": target, "groups": [g for g in groups if g[1]], "form": form,
        "action": request.get_full_path(),
    }, status=400 if form.is_bound else 200)


@login_required
def memo(request, pk, memo_pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    found = get_own_memo(request.user, project, layer, memo_pk)
    form = MemoForm(request.POST if request.method == "POST" else None,
                    initial={"name": found.name, "text": found.text})
    if form.is_bound and form.is_valid():
        try:
            actions.update_memo(found, form.cleaned_data["text"], form.cleaned_data["name"])
        except actions.NotAllowed as problem:
            form.add_error("text", str(problem))
        else:
            messages.success(request, "Your memo is saved.")
            return redirect(memos_url(project, memo=found))
    return page(request, "qualitative/memo.html", project, member, "memos", {
        "memo": found, "form": form, "back": memos_url(project, memo=found),
    }, status=400 if form.is_bound else 200)


@login_required
@require_POST
def delete_memo(request, pk, memo_pk):
    project, _, layer = get_workbench_for_user(request.user, pk)
    found = get_own_memo(request.user, project, layer, memo_pk)
    back = memos_url(project, memo=found)
    actions.delete_memo(found, by=request)
    messages.success(request, "Your memo is deleted.")
    return redirect(back)
