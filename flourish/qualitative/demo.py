"""The demo coding project: two interviews and one PAR session (invented transcripts in
data/demo/), coded turn by turn by two researchers, Mei and Tomasz, so that agreement per
process and the model check have something to show; their agreed units and three settled
disagreements form the consensus layer. Running it again changes nothing
already there."""

from pathlib import Path

from flourish.accounts.models import Membership, Role, User

from . import actions, selectors
from .models import MemberRole, Project

NAME = "Leading integration: interviews and PAR (demo)"
DATA = Path(__file__).parent / "data" / "demo"
SECOND_CODER = ("researcher2@demo.flourish.test", "Tomasz", "Nowak")
EMERGENT = {
    "Funding pressure": "Budgets, cuts and money worries shaping what the leader or team can do.",
    "Barriers to information sharing": "Systems, records or forms that stop services seeing or passing on "
                                       "what they know.",
}
# Per source: its attributes, and per turn index the codes each coder applied (a process id
# or an emergent code's name). First list: Mei; second: Tomasz.
SOURCES = {
    "interview-lena.txt": ({"stage": "interview", "site": "Meadowbank"}, {
        3: (["thinking-systematically"], ["thinking-systematically"]),
        5: (["thinking-systematically", "building-relationships"], ["thinking-systematically"]),
        7: (["building-relationships"], ["building-relationships"]),
        9: (["interaction"], ["interaction", "sensitivity"]),
        11: (["nourishing-self-actualization"], ["nourishing-self-actualization"]),
        13: (["Funding pressure"], []),
    }),
    "interview-joseph.txt": ({"stage": "interview", "site": "Meadowbank"}, {
        1: (["interaction"], ["interaction"]),
        3: (["integrity"], ["integrity"]),
        5: (["Barriers to information sharing"], []),
        7: (["alternative-approaches"], ["alternative-approaches"]),
        9: (["sensitivity"], ["sensitivity"]),
        11: (["building-relationships"], ["building-relationships"]),
    }),
    "par-session-1.txt": ({"stage": "PAR session", "site": "Meadowbank"}, {
        1: (["flow", "alternative-approaches"], ["flow"]),
        2: (["flow"], ["flow"]),
        4: (["sensitivity"], ["building-relationships"]),
        5: (["alternative-approaches"], ["alternative-approaches"]),
        7: (["thinking-systematically"], ["thinking-systematically"]),
        8: (["interaction"], ["interaction"]),
    }),
}
SPEAKERS = {
    "Lena": {"role": "Centre leader", "profession": "Early years"},
    "Joseph": {"role": "Practitioner", "profession": "Midwifery"},
    "Priya": {"role": "Practitioner", "profession": "Early years education"},
    "Tom": {"role": "Practitioner", "profession": "Family support"},
    "Rachel": {"role": "Practitioner", "profession": "Social work"},
    "Interviewer": {"role": "Researcher"},
    "Facilitator": {"role": "Facilitator"},
}


def create(organisation, researcher, framework_version, password: str) -> Project:
    existing = Project.objects.filter(organisation=organisation, name=NAME).first()
    if existing:
        return existing
    second = _second_coder(organisation, password)
    project = actions.create_project(researcher, organisation, NAME, framework_version,
                                     "Two leader/practitioner interviews and one PAR session, coded by two "
                                     "researchers against the model. Invented data for the demo.")
    actions.add_member(project, second.email, MemberRole.CODER)
    codes = {c.process_id: c for c in project.codes.all()}
    for name, definition in EMERGENT.items():
        codes[name] = actions.add_code(project, researcher, name, definition=definition)
    layers = [selectors.person_layer(project, researcher), selectors.person_layer(project, second)]
    for filename, (attributes, turns) in SOURCES.items():
        source, = actions.import_sources(project, researcher, [(filename, (DATA / filename).read_bytes())],
                                         attributes)
        for index, per_coder in turns.items():
            for layer, user, chosen in zip(layers, (researcher, second), per_coder):
                if chosen:
                    actions.set_turn_codes(layer, source, index, [codes[c] for c in chosen], user)
    for speaker in project.speakers.all():
        actions.set_speaker_attributes(speaker, SPEAKERS.get(speaker.name, {}))
    _adjudicate(project, researcher, layers)
    actions.add_memo(project, researcher, "Funding came up unprompted in both leader interviews so far; "
                     "watch whether it belongs under Thinking Systematically or stays its own theme.",
                     target=codes["Funding pressure"])
    return project


def _adjudicate(project, lead, layers) -> None:
    """Agreed units go into the consensus layer; the lead settles the first few
    disagreements and leaves the rest for the demo's visitor."""
    from . import actions_adjudication as adjudication
    from . import analysis

    adjudication.accept_agreements(project, lead, layers)
    report = analysis.project_agreement(project, coders=layers, bootstrap_samples=0)
    for disagreement in report["disagreements"][:3]:
        adjudication.decide(project, lead, project.sources.get(pk=disagreement["source_id"]),
                            project.codes.get(pk=disagreement["code_id"]), disagreement["start"],
                            disagreement["end"], applies=True,
                            note="Both readings are defensible; kept, as the turn is mainly about this.")


def _second_coder(organisation, password) -> User:
    email, first, last = SECOND_CODER
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(password)
        user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.RESEARCHER)
    return user
