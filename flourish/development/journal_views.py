"""Reflective journal pages: private to the leader who writes them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render

from flourish.accounts.permissions import leader_organisations
from flourish.frameworks.selectors import default_version

from . import actions, tagging
from .forms import JournalEntryForm, JournalFilterForm, with_hints
from .permissions import entries_for, get_entry_for_user


def filter_entries(entries, *, q="", process="", date_from=None, date_to=None) -> list:
    """Text contains (title or text, case-insensitive), tagged with a process, in a date range."""
    if q:
        entries = entries.filter(Q(title__icontains=q) | Q(text__icontains=q))
    if date_from:
        entries = entries.filter(written_on__gte=date_from)
    if date_to:
        entries = entries.filter(written_on__lte=date_to)
    found = list(entries)
    if process:  # tags are a JSON list: filtered here, the same on SQLite and PostgreSQL
        found = [e for e in found if process in e.processes]
    return found


@login_required
def journal(request):
    version = default_version()
    processes = version.processes if version else []
    form = JournalFilterForm(request.GET or None, processes=processes)
    entries = entries_for(request.user)
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filtered = any(data.values())
        found = filter_entries(entries, q=data["q"].strip(), process=data["process"],
                               date_from=data["date_from"], date_to=data["date_to"])
    else:
        found = list(entries) if not form.is_bound else []
    return render(request, "development/journal/list.html", {
        "form": form, "entries": found, "filtered": filtered, "total": entries.count(),
        "can_write": leader_organisations(request.user).exists() and version is not None,
    }, status=400 if form.errors else 200)


def _entry_page(request, *, entry=None):
    """Write (entry None) or edit. "Suggest tags" re-renders the form with the processes
    the text matches ticked and the matched words shown; "Save" saves what is ticked."""
    version = entry.framework_version if entry else default_version()
    organisations = leader_organisations(request.user)
    if entry is None and (version is None or not organisations.exists()):
        messages.error(request, "Only a leader can keep a reflective journal here.")
        return redirect("development:journal")
    kwargs = {"processes": version.processes, "organisations": organisations, "editing": entry is not None}
    suggested, error = None, None
    if request.method == "POST" and "suggest" in request.POST:
        suggested = tagging.suggest(request.POST.get("text", ""), version.processes)
        ticked = set(request.POST.getlist("processes")) | {s.process_id for s in suggested}
        form = JournalEntryForm(initial={
            **{name: request.POST.get(name, "") for name in ("organisation", "written_on", "title", "text")},
            "processes": [p["id"] for p in version.processes if p["id"] in ticked],
        }, **kwargs)
    elif request.method == "POST":
        form = JournalEntryForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            fields = dict(title=data["title"], text=data["text"], written_on=data["written_on"],
                          processes=data["processes"])
            try:
                if entry is None:
                    entry = actions.write_entry(request.user, data["organisation"], version, **fields)
                else:
                    entry = actions.update_entry(entry, **fields)
            except actions.NotAllowed as problem:
                error = str(problem)
            else:
                messages.success(request, "Your journal entry is saved.")
                return redirect("development:entry", pk=entry.pk)
    elif entry is not None:
        form = JournalEntryForm(initial={
            "organisation": entry.organisation_id, "written_on": entry.written_on, "title": entry.title,
            "text": entry.text, "processes": entry.processes,
        }, **kwargs)
    else:
        form = JournalEntryForm(**kwargs)
    names = {p["id"]: p["name"] for p in version.processes}
    return render(request, "development/journal/form.html", {
        "form": form, "entry": entry, "error": error,
        "suggested": [{"name": names[s.process_id], "words": s.words} for s in suggested or []],
        "options": with_hints(form["processes"], {
            s.process_id: "Suggested: your words " + ", ".join(f"“{w}”" for w in s.words) + " match it."
            for s in suggested or []
        }),
        "suggested_none": suggested == [],
    }, status=400 if error or form.errors else 200)


@login_required
def new_entry(request):
    return _entry_page(request)


@login_required
def edit_entry(request, pk):
    return _entry_page(request, entry=get_entry_for_user(request.user, pk))


@login_required
def entry_detail(request, pk):
    entry = get_entry_for_user(request.user, pk)
    return render(request, "development/journal/detail.html", {"entry": entry})


@login_required
def delete_entry(request, pk):
    entry = get_entry_for_user(request.user, pk)
    if request.method == "POST":
        actions.delete_entry(entry, by=request)
        messages.success(request, "The journal entry is deleted.")
        return redirect("development:journal")
    return render(request, "development/journal/delete.html", {"entry": entry})
