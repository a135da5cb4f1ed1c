"""The people our tests are about. Each function makes one named persona.

- a leader (Amara) of a Children's Centre, and her organisation's other roles (two
  researchers, Mei and Tomasz, so that coders can be compared);
- an outsider: a leader of another organisation, who must never see Amara's work.
"""

from flourish.accounts.models import Membership, Organisation, Role, User

PASSWORD = "correct-horse-battery-staple"


def organisation(name="Riverside Children's Centre") -> Organisation:
    return Organisation.objects.get_or_create(name=name)[0]


def person(email, role, org, first="", last="") -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, PASSWORD, first_name=first, last_name=last
    )
    Membership.objects.get_or_create(user=user, organisation=org, role=role)
    return user


def leader(org=None) -> User:
    return person("amara@riverside.test", Role.LEADER, org or organisation(), "Amara", "Okafor")


def facilitator(org=None) -> User:
    return person("gareth@riverside.test", Role.FACILITATOR, org or organisation(), "Gareth", "Lloyd")


def researcher(org=None) -> User:
    return person("mei@riverside.test", Role.RESEARCHER, org or organisation(), "Mei", "Chen")


def second_researcher(org=None) -> User:
    """A second coder, so that coders can be compared."""
    return person("tomasz@riverside.test", Role.RESEARCHER, org or organisation(), "Tomasz", "Nowak")


def org_admin(org=None) -> User:
    return person("sam@riverside.test", Role.ADMIN, org or organisation(), "Sam", "Patel")


def outsider() -> User:
    return person("olu@elsewhere.test", Role.LEADER, organisation("Hilltop Family Hub"), "Olu", "Bello")
