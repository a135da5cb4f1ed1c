"""Writes for the team integration pulse. Each public function is one transaction and
refuses, with a message saying what and where, anything the team's or wave's state does not
allow; nothing is saved in part."""

import random
from datetime import date

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from flourish.core.actions import NotAllowed, required
from flourish.feedback import nominations
from flourish.jobs import mail as jobs_mail
from flourish.lib.disclosure import MIN_K
from flourish.pulse.core.instrument import PulseError, latest_path, load_file

from . import disclosures, results
from .models import Invitation, InvitationLink, Member, Response, Team, Wave, WaveStatus
from .selectors import response_of

__all__ = ["NotAllowed"]

INVITATION = "pulse.invitation"
REMINDER = "pulse.reminder"
SECTIONS = ("team", "roles", "map")
#: Seconds a short agree/disagree item takes on a phone, for the estimate the form states.
SECONDS_PER_QUESTION = 6


def invitation_key(invitation) -> str:
    return f"pulseinvitation:{invitation.pk}"


def respond_url(token: str) -> str:
    return settings.SITE_URL + reverse("pulse_respond:start", args=[token])


def _lock_wave(wave) -> Wave:
    return Wave.objects.select_for_update().select_related("team").get(pk=wave.pk)


@transaction.atomic
def create_team(leader, organisation, name: str) -> Team:
    return Team.objects.create(leader=leader, organisation=organisation, name=required(name, "the team's name"))


@transaction.atomic
def add_member(team, name: str, email: str, profession: str, agency: str) -> Member:
    name = required(name, "the member's name")
    email = required(email, "the member's email address").lower()
    profession = required(profession, f"{name}'s professional group")
    agency = required(agency, f"{name}'s employer or agency")
    _check_address(team, email)
    return Member.objects.create(team=team, name=name, email=email, profession=profession, agency=agency)


def _check_address(team, email: str) -> None:
    """The leader's own addresses, and a second address for a mailbox already on the roster,
    are refused, compared as the 360° compares them (`feedback.nominations.mailbox`: case,
    `+tags`, Gmail dots): a leader who answered as someone else would know that answer."""
    if nominations.mailbox(email) in {nominations.mailbox(a) for a in team.leader.addresses()}:
        raise NotAllowed(f"{email} is an address of {team.leader.display_name}, the team's leader: the pulse "
                         "is the team's view, so the leader is not on its roster.")
    on_roster = {nominations.mailbox(e): e for e in team.members.filter(left_on__isnull=True)
                 .values_list("email", flat=True)}
    same = nominations.same_mailbox_as(email, on_roster)
    if same is not None:
        raise NotAllowed(f"{email} is already on the roster of {team.name}" + ("" if same == email else f" (as {same})")
                         + ".")


@transaction.atomic
def remove_member(member) -> Member:
    """Off the roster from today: not asked in later waves. Waves already open keep them."""
    if member.left_on is not None:
        raise NotAllowed(f"{member.name} has already left the roster.")
    member.left_on = timezone.localdate()
    member.save(update_fields=["left_on"])
    return member


def load_instrument(path=None):
    try:
        return load_file(path or latest_path())
    except PulseError as problem:  # a shipped file is checked by its own tests; say so if not
        raise NotAllowed(f"The pulse file cannot be used: {problem}") from None


def minutes(instrument, professions: int, agencies: int) -> float:
    """The form's length in minutes: the team items, each other profession's role items and
    one frequency per profession and agency."""
    questions = len(instrument.items) + (professions - 1) * len(instrument.role_items) + professions + agencies
    return questions * SECONDS_PER_QUESTION / 60


@transaction.atomic
def open_wave(team, label: str, closes_on: date, *, k: int = MIN_K) -> Wave:
    """Open a wave on the latest pulse version, invite everyone on the roster by email
    (queued in this transaction) and return it."""
    label = required(label, "a name for the wave, such as “Spring 2027”")
    if closes_on <= timezone.localdate():
        raise NotAllowed("The closing date must be after today.")
    members = list(team.members.filter(left_on__isnull=True))
    if len(members) < k:
        raise NotAllowed(f"{team.name} has {len(members)} people on its roster; a wave needs at least {k}, "
                         f"so that no figure stands for fewer than {k} people.")
    if team.waves.filter(status=WaveStatus.OPEN).exists():
        raise NotAllowed(f"{team.name} already has an open wave; close it before opening another.")
    if team.waves.filter(label=label).exists():
        raise NotAllowed(f"{team.name} already has a wave called “{label}”.")
    instrument = load_instrument()
    wave = Wave.objects.create(team=team, label=label, closes_on=closes_on, instrument=dict(instrument.document))
    for member in members:
        invitation = Invitation.objects.create(wave=wave, member=member, profession=member.profession,
                                               agency=member.agency)
        _invite(invitation, member)
    return wave


def _invite(invitation, member, reminder=False) -> None:
    from flourish.orgadmin.mail import sender_for

    token = InvitationLink.issue(invitation)  # a reminder's new link; earlier ones keep working
    wave = invitation.wave
    body = render_to_string("pulse/email/invitation.txt", {
        "member": member, "wave": wave, "team": wave.team, "url": respond_url(token), "reminder": reminder,
    })
    subject = f"How well does {wave.team.name} work together? ({wave.label})"
    jobs_mail.queue_mail(REMINDER if reminder else INVITATION, invitation_key(invitation), member.email,
                         f"Reminder: {subject}" if reminder else subject, body,
                         from_email=sender_for(wave.team.organisation))


@transaction.atomic
def remind(wave) -> None:
    """Remind everyone asked who has not sent their answers, with a fresh link. Returns
    nothing: the leader is never told how many (with few people asked, a count would say
    whether a given person has answered); the reminders' delivery records go at close."""
    wave = _lock_wave(wave)
    if wave.status != WaveStatus.OPEN or wave.is_past_closing_date:
        raise NotAllowed(f"Reminders go only while “{wave.label}” is open.")
    sent = set(Response.objects.filter(wave=wave, submitted_on__isnull=False).values_list("invitation_id", flat=True))
    for invitation in wave.invitations.select_related("member"):
        if invitation.pk not in sent:
            _invite(invitation, invitation.member, reminder=True)


def _check_open(invitation) -> Wave:
    wave = _lock_wave(invitation.wave)
    if wave.status != WaveStatus.OPEN or wave.is_past_closing_date:
        raise NotAllowed(f"The pulse “{wave.label}” for {wave.team.name} has closed; nothing was saved.")
    return wave


@transaction.atomic
def save_section(invitation, section: str, values: dict) -> Response:
    """Save one section of the respondent's answers (a draft until sent). ``values`` was
    checked by the section's form; it replaces what the section held."""
    if section not in SECTIONS:
        raise NotAllowed(f"There is no section “{section}” in the pulse.")
    wave = _check_open(invitation)
    problems = _section_problems(wave, invitation, section, values)
    if problems:
        raise NotAllowed("Nothing was saved: " + "; ".join(problems) + ".")
    response = response_of(invitation) or Response(wave=wave, invitation=invitation,
                                                   profession=invitation.profession, agency=invitation.agency)
    if section == "team":
        response.answers = values
    elif section == "roles":
        response.role_ratings = values
    else:
        response.collaboration = values
    response.save()
    return response


def _section_problems(wave, invitation, section, values) -> list[str]:
    """What in a section's answers the wave's pulse and roster do not allow, each named."""
    doc = wave.instrument
    scale = set(doc["scale"]["values"])
    if not isinstance(values, dict):
        return [f"the {section} section's answers must be a mapping"]
    problems = []
    if section == "team":
        items = {i["id"] for i in doc["items"]}
        for key, value in values.items():
            if key not in items:
                problems.append(f"team: {key} is not a question of this pulse")
            elif value is not None and value not in scale:
                problems.append(f"team: {key}: {value!r} is not on the scale")
        return problems
    rows = list(wave.invitations.values_list("profession", "agency"))
    if section == "roles":
        others = {p for p, _ in rows} - {invitation.profession}
        role_items = set(doc["role_ratings"]["items"])
        for profession, answers in values.items():
            if profession not in others:
                problems.append(f"roles: {profession!r} is not another profession on the team")
                continue
            for key, value in (answers or {}).items():
                if key not in role_items or (value is not None and value not in scale):
                    problems.append(f"roles: {profession}: {key} = {value!r} is not a question and answer asked")
        return problems
    frequencies = {p["value"] for p in doc["collaboration_map"]["scale"]}
    groups = {"professions": {p for p, _ in rows}, "agencies": {a for _, a in rows}}
    for kind, answers in values.items():
        if kind not in groups:
            problems.append(f"map: {kind!r} is neither professions nor agencies")
            continue
        for group, value in (answers or {}).items():
            if group not in groups[kind] or value not in frequencies:
                problems.append(f"map: {kind}: {group!r} = {value!r} is not a group on the roster and a frequency")
    return problems


@transaction.atomic
def submit(invitation) -> Response:
    wave = _check_open(invitation)
    response = response_of(invitation)
    instrument = results.instrument_of(wave)
    missing = []
    if response is None or len(response.answers) < len(instrument.items):
        missing.append("the questions about the team")
    professions = {i.profession for i in wave.invitations.all()}
    if response is None or set(response.role_ratings) != professions - {invitation.profession}:
        missing.append("the questions about each other profession")
    if response is None or not response.collaboration:
        missing.append("how often you work with each group")
    if missing:
        raise NotAllowed("Answer " + " and ".join(missing) + " before you send your answers.")
    response.submitted_on = timezone.localdate()
    response.save(update_fields=["submitted_on"])
    return response


@transaction.atomic
def withdraw_answers(invitation) -> None:
    """The respondent deletes their answers while the wave is open."""
    _check_open(invitation)
    Response.objects.filter(invitation=invitation).delete()


def _sever(wave) -> None:
    """As a 360° cycle's close: drafts go; sent answers are stored again in random order
    with no invitation, keeping only their group labels."""
    kept = [Response(wave=wave, profession=r.profession, agency=r.agency, answers=r.answers,
                     role_ratings=r.role_ratings, collaboration=r.collaboration, submitted_on=r.submitted_on)
            for r in Response.objects.filter(wave=wave, submitted_on__isnull=False)]
    Response.objects.filter(wave=wave).delete()
    random.SystemRandom().shuffle(kept)
    Response.objects.bulk_create(kept)
    # A reminder's record says its member had not answered by then: it goes too.
    jobs_mail.forget(REMINDER, [invitation_key(i) for i in wave.invitations.all()])


@transaction.atomic
def close_wave(wave, *, k: int = MIN_K) -> Wave:
    """Close a wave: decide its results through the ledger for the leader, store them, and
    sever the answers from the people who gave them."""
    wave = _lock_wave(wave)
    if wave.status != WaveStatus.OPEN:
        raise NotAllowed(f"The wave “{wave.label}” is already closed.")
    responses = list(Response.objects.filter(wave=wave, submitted_on__isnull=False))
    invitations = list(wave.invitations.all())
    try:
        built, candidates = results.build(wave, responses, invitations, k)
    except ValueError as problem:
        raise NotAllowed(f"The answers of “{wave.label}” cannot be turned into results: {problem}") from None
    released, withheld = disclosures.release(wave, candidates, k)
    built["released"], built["withheld"] = released, withheld
    wave.results = built
    wave.status = WaveStatus.CLOSED
    wave.closed_on = timezone.localdate()
    wave.save(update_fields=["results", "status", "closed_on"])
    _sever(wave)
    return wave


def close_due_waves() -> list[Wave]:
    """Close every open wave whose closing date has passed (each its own transaction)."""
    closed = []
    for wave in Wave.objects.filter(status=WaveStatus.OPEN, closes_on__lt=timezone.localdate()):
        try:
            closed.append(close_wave(wave))
        except NotAllowed:  # closed meanwhile by its leader
            continue
    return closed


ROSTER_COLUMNS = ("name", "email", "profession", "agency")


@transaction.atomic
def import_roster(team, rows) -> list[Member]:
    """Add everyone in ``rows`` (dicts with ROSTER_COLUMNS, as read from a CSV file) to the
    roster, or nobody: every problem is collected, named by its row and column, and refused."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    problems, seen, clean = [], set(), []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        values = {c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS}
        for column in ROSTER_COLUMNS:
            if not values[column]:
                problems.append(f"row {number}: {column}: is empty")
        email = values["email"].lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"row {number}: email: {values['email']!r} is not an email address")
            if nominations.mailbox(email) in seen:
                problems.append(f"row {number}: email: {email} is given twice in the file")
            else:
                try:
                    _check_address(team, email)
                except NotAllowed as refused:
                    problems.append(f"row {number}: email: {str(refused).rstrip('.')}")
            seen.add(nominations.mailbox(email))
        clean.append(values)
    if not clean:
        problems.append("the file has no rows under its header")
    if problems:
        raise NotAllowed("Nothing was imported:\n" + "\n".join(problems))
    return [add_member(team, **values) for values in clean]
