"""A set's record — its cycles, sessions, notes, actions, observations and reflections —
told as a story. The story page, the Markdown export and the PDF (WeasyPrint) are all
built from `story()`, so they say the same things."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify

from .models import Stage


def human_list(names) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


def _opening(cycle) -> str:
    focus = cycle.focus.strip()
    text = f"The set began this cycle on {_day(cycle.planned_at)}, asking: “{focus}”"
    if focus[-1:] not in "?.!":
        text += "."
    names = cycle.process_names()
    if names:
        text += f" It set out to work on {human_list(names)}."
    return text


def _status(cycle) -> str:
    if cycle.is_closed:
        return f"The cycle closed on {_day(cycle.closed_at)}."
    return f"The cycle is now at the {cycle.get_stage_display().lower()} stage."


def _action_line(action) -> str:
    text = f"{action.owner.user.display_name} undertook to {action.text[:1].lower()}{action.text[1:]}"
    text = text.rstrip(".")
    if action.due:
        text += f", by {_day(action.due)}"
    if action.done:
        text += f" — done{' on ' + _day(action.done_at) if action.done_at else ''}."
    else:
        text += " — not done yet." if not action.cycle.is_closed else " — not done."
    return text


def story(learning_set) -> dict:
    chapters = []
    for cycle in learning_set.cycles.order_by("number").prefetch_related(
        "sessions", "actions__owner__user", "observations__author__user"
    ):
        chapters.append({
            "cycle": cycle,
            "heading": f"Cycle {cycle.number}: {cycle.focus}",
            "opening": _opening(cycle),
            "status": _status(cycle),
            "sessions": [{
                "heading": f"Session on {_day(s.date)}",
                "agenda": s.agenda, "notes": s.notes,
            } for s in cycle.sessions.all()],
            "actions": [_action_line(a) for a in cycle.actions.all()],
            "actions_done": sum(a.done for a in cycle.actions.all()),
            "observations": [{
                "line": f"On {_day(o.date)}, {o.author.user.display_name} observed:",
                "text": o.text,
                "processes": human_list(o.process_names()),
            } for o in cycle.observations.all()],
            "reflection": {
                "what_changed": cycle.what_changed, "what_learnt": cycle.what_learnt,
                "bore_on": human_list(cycle.bore_on_names()),
            } if cycle.stage == Stage.CLOSED else None,
        })
    members = [m.user.display_name for m in learning_set.active_members()]
    return {
        "title": learning_set.name,
        "intro": (f"An action-learning set facilitated by {learning_set.facilitator.display_name}"
                  f" ({learning_set.organisation.name}), using {learning_set.framework_version.framework.name}"
                  " as a shared language for Participatory Action Research: plan, act, observe, reflect."),
        "members": human_list(members),
        "chapters": chapters,
        "generated": _day(timezone.now()),
    }


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def markdown(learning_set) -> str:
    data = story(learning_set)
    out = [f"# {data['title']}", "", data["intro"], ""]
    if data["members"]:
        out += [f"Members: {data['members']}.", ""]
    if not data["chapters"]:
        out += ["No cycles yet.", ""]
    for chapter in data["chapters"]:
        out += [f"## {chapter['heading']}", "", chapter["opening"], "", chapter["status"], ""]
        if chapter["sessions"]:
            out += ["### Sessions", ""]
            for session in chapter["sessions"]:
                out += [f"#### {session['heading']}", "", f"**Agenda.** {session['agenda']}", ""]
                if session["notes"]:
                    out += ["**Shared notes.**", "", session["notes"], ""]
        if chapter["actions"]:
            out += ["### What members undertook", ""]
            out += [f"- {line}" for line in chapter["actions"]] + [""]
        if chapter["observations"]:
            out += ["### What members observed", ""]
            for obs in chapter["observations"]:
                out += [obs["line"], "", _quote(obs["text"]), ""]
                if obs["processes"]:
                    out += [f"Bearing on {obs['processes']}.", ""]
        if chapter["reflection"]:
            reflection = chapter["reflection"]
            out += ["### Reflection", "", "**What changed.** " + reflection["what_changed"], "",
                    "**What the set learnt.** " + reflection["what_learnt"], ""]
            if reflection["bore_on"]:
                out += [f"The learning bore on {reflection['bore_on']}.", ""]
    out += ["---", "", f"Exported from Flourish on {data['generated']}. The model's process definitions "
            "are Flourish's own reading of Vaggers & Anderson (2025) and not yet validated.", ""]
    return "\n".join(out)


def print_html(learning_set) -> str:
    return render_to_string("sets/story_print.html", {"set": learning_set, "story": story(learning_set)})


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"the set's PDF fetches nothing ({url})")


def pdf(learning_set) -> bytes:
    from weasyprint import HTML

    return HTML(string=print_html(learning_set), url_fetcher=_no_fetch).write_pdf()


def filename(learning_set, fmt: str) -> str:
    return f"{slugify(learning_set.name) or 'set'}-record.{fmt}"
