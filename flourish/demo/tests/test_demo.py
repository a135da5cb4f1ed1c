"""The demo is idempotent, says how to sign in, and its leader finds a completed profile.
(Moved from core when the demo became its own app.)"""

from django.core.management import call_command

from flourish.accounts.models import Membership, Organisation, TeamMember, User
from flourish.demo import organisation as demo
from flourish.selfassess.models import SelfAssessment


def test_the_demo_is_idempotent_and_prints_how_to_sign_in(db, capsys):
    call_command("demo")
    first = capsys.readouterr().out
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count(),
              TeamMember.objects.count(), SelfAssessment.objects.count())
    call_command("demo")
    assert counts == (Organisation.objects.count(), User.objects.count(), Membership.objects.count(),
                      TeamMember.objects.count(), SelfAssessment.objects.count())
    assert demo.PASSWORD in first and "leader@demo.flourish.test" in first
    professions = set(TeamMember.objects.values_list("profession", flat=True))
    assert {"Health visiting", "Midwifery", "Social work", "Early years education",
            "Family support", "Partner charity"} <= professions


def test_the_demo_leader_can_sign_in_and_see_a_completed_profile(db, client):
    call_command("demo")
    response = client.post("/account/sign-in/", {"username": "leader@demo.flourish.test",
                                                 "password": demo.PASSWORD})
    assert response.status_code == 302
    latest = SelfAssessment.objects.filter(leader__email="leader@demo.flourish.test").order_by("-completed").first()
    html = client.get(f"/self-assessment/{latest.pk}/").content.decode()
    assert "Your profile" in html and "Change" in html


def test_core_imports_no_other_flourish_app():
    """core is what every app builds on; the demo, which needs every app, lives outside it.
    (The settings module is the project's configuration, not an app.)"""
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parents[2] / "core"
    offenders = []
    for path in (p for p in core.rglob("*.py") if "tests" not in p.parts):  # tests may cross apps
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            offenders += [f"{path.relative_to(core)}: {name}" for name in names
                          if name.startswith("flourish.")
                          and not name.startswith(("flourish.core", "flourish.settings"))]
    assert offenders == []
