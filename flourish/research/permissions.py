"""Who may see research data and runs, and whose consent choices a person may change.

- research data: a researcher sees the consented, de-identified data of the organisations
  where they hold the researcher role, and nothing else; everyone else gets 404 on the
  research pages (they cannot tell the pages exist for them);
- a stored run of the model's tests: only the researcher who made it, while they are
  still a researcher somewhere;
- consent: a leader changes only their own self-assessments and cycles; a rater only
  their own response, through their personal link.
"""

from django.http import Http404

from flourish.accounts.models import Role
from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404
from flourish.feedback.selectors import cycles_led_by
from flourish.selfassess.selectors import completed_by

from .models import ModelTestRun


def research_organisations(user):
    return organisations_for(user, Role.RESEARCHER)


def is_researcher(user) -> bool:
    return research_organisations(user).exists()


def require_researcher(user):
    """The organisations whose data the user may analyse; 404 for anyone not a researcher."""
    organisations = research_organisations(user)
    if not organisations.exists():
        raise Http404("No such page.")
    return organisations


def runs_for(user):
    if not is_researcher(user):
        return ModelTestRun.objects.none()
    return ModelTestRun.objects.filter(researcher=user)


def get_run_for_researcher(user, pk) -> ModelTestRun:
    return get_or_404(runs_for(user), "run", pk=pk)


def own_self_assessments(user):
    """A leader's completed self-assessments (the ones they may share for research)."""
    return completed_by(user)


def own_cycles(user):
    return cycles_led_by(user)


def get_own_self_assessment(user, pk):
    return get_or_404(own_self_assessments(user), "self-assessment", pk=pk)


def get_own_cycle(user, pk):
    return get_or_404(own_cycles(user), "cycle", pk=pk)
