"""The real client address behind a proxy, attacked: a forged X-Forwarded-For from anyone
but a configured proxy changes nothing, and behind a trusted proxy two people get two
budgets. The rate limits of rater links go through the real server; the sign-in lock-out
(django-axes) through the real views."""

import ipaddress

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from flourish.feedback.tests.helpers import fresh_rate_limits  # noqa: F401 (an autouse fixture)
from flourish.ops.clientip import parse_networks, real_client_ip
from flourish.testing.personas import PASSWORD

from .livesite import Visitor, seed, sqlite_database, start_server, stop_server

PROXY = "10.0.0.5"
TRUSTED = parse_networks(("10.0.0.0/24", "2001:db8::/32"))
ipv4 = st.ip_addresses(v=4).map(str)


def test_without_a_trusted_proxy_the_connecting_address_is_the_client():
    assert real_client_ip("203.0.113.7", "198.51.100.1", ()) == "203.0.113.7"
    assert real_client_ip("10.0.0.5", "198.51.100.1", ()) == "10.0.0.5"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client():
    assert real_client_ip(PROXY, "198.51.100.1", TRUSTED) == "198.51.100.1"
    # The client wrote "1.2.3.4" itself; our proxy appended the address it saw.
    assert real_client_ip(PROXY, "1.2.3.4, 198.51.100.1", TRUSTED) == "198.51.100.1"
    # Two of our proxies in a row are skipped.
    assert real_client_ip(PROXY, "1.2.3.4, 198.51.100.1, 10.0.0.9", TRUSTED) == "198.51.100.1"
    assert real_client_ip("2001:db8::1", "[2001:db9::7]:443, 2001:db8::2", TRUSTED) == "2001:db9::7"
    assert real_client_ip(PROXY, "198.51.100.1:5123", TRUSTED) == "198.51.100.1"


def test_a_malformed_hop_stops_at_the_last_address_a_proxy_vouched_for():
    assert real_client_ip(PROXY, "198.51.100.1, not-an-address", TRUSTED) == PROXY
    assert real_client_ip(PROXY, "not-an-address, 198.51.100.1", TRUSTED) == "198.51.100.1"
    assert real_client_ip(PROXY, "", TRUSTED) == PROXY


@given(peer=ipv4, header=st.lists(st.one_of(ipv4, st.text(max_size=12)), max_size=5).map(", ".join))
def test_from_an_untrusted_peer_no_header_changes_the_address(peer, header):
    if ipaddress.ip_address(peer) in TRUSTED[0]:
        return
    assert real_client_ip(peer, header, TRUSTED) == peer


@given(client=ipv4, forged=st.lists(st.one_of(ipv4, st.text(max_size=12)), max_size=5))
def test_whatever_a_client_forges_to_the_left_the_proxy_reports_them(client, forged):
    if ipaddress.ip_address(client) in TRUSTED[0]:
        return
    header = ", ".join([*forged, client])
    assert real_client_ip(PROXY, header, TRUSTED) == client


def test_a_bad_trusted_proxies_setting_is_refused_with_the_entry():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="'10.0.0.300'"):
        parse_networks(("10.0.0.1", "10.0.0.300"))


# --- rate limits of rater links, through gunicorn ---------------------------------------

@pytest.fixture(scope="module")
def rater_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proxy")
    url = sqlite_database(folder)
    cycle = seed(url, "cycle", "--raters", "1", "--answered", "none")
    yield url, folder, cycle["tokens"][0]


def reads_until_limited(server, token, headers_for, attempts):
    """Status of each GET of the rater's start page, each with its own headers."""
    return [Visitor(server.base, headers=headers_for(n)).get(f"/r/{token}/").status for n in range(attempts)]


LIMITED = {"RATER_LINK_READ_RATE": "3/m", "RATER_LINK_WRITE_RATE": "3/m"}


def test_a_forged_forwarded_for_from_an_untrusted_peer_does_not_buy_a_new_budget(rater_site):
    url, folder, token = rater_site
    # One worker: the per-process cache then holds the one exact count.
    server = start_server(url, folder, workers=1, extra_env=LIMITED)
    try:
        statuses = reads_until_limited(server, token, lambda n: {"X-Forwarded-For": f"198.51.100.{n}"}, 5)
    finally:
        stop_server(server)
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_two_clients_get_two_budgets(rater_site):
    url, folder, token = rater_site
    server = start_server(url, folder, workers=1, extra_env={**LIMITED, "TRUSTED_PROXIES": "127.0.0.1"})
    try:
        first = reads_until_limited(server, token, lambda n: {"X-Forwarded-For": "198.51.100.1"}, 4)
        second = reads_until_limited(server, token, lambda n: {"X-Forwarded-For": "198.51.100.2"}, 4)
        # Forging a left-hand address does not move the first client to a new budget.
        forged = reads_until_limited(server, token, lambda n: {"X-Forwarded-For": f"1.2.3.{n}, 198.51.100.1"}, 2)
    finally:
        stop_server(server)
    assert first == [200, 200, 200, 429]
    assert second == [200, 200, 200, 429]
    assert forged == [429, 429]


# --- the sign-in lock-out (django-axes) ----------------------------------------------------

def sign_in(client, email, password, peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_reset_the_sign_in_lock_out(client, leader):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, leader.email, "wrong-password", "203.0.113.7", f"198.51.100.{attempt}")
    locked = sign_in(client, leader.email, PASSWORD, "203.0.113.7", "198.51.100.200")
    assert locked.status_code == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_behind_a_trusted_proxy_an_attacker_locks_out_only_themselves(client, leader):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, leader.email, "wrong-password", PROXY, "198.51.100.66")
    assert sign_in(client, leader.email, PASSWORD, PROXY, "198.51.100.66").status_code == 429

    client.cookies.clear()
    real_leader = sign_in(client, leader.email, PASSWORD, PROXY, "192.0.2.10")
    assert real_leader.status_code == 302
