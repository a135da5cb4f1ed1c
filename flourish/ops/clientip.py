"""The real client address, for rate limits and the sign-in lock-out.

Behind a TLS proxy every request arrives from the proxy, so keying on REMOTE_ADDR would
give every user one shared budget. X-Forwarded-For is believed only when the connecting
peer is one of settings.TRUSTED_PROXIES, and only as far as trusted hops go: the header
is read from the right (the part our own proxies appended), skipping addresses that are
themselves trusted proxies; the first untrusted one is the client. Anything a client
writes into the header itself sits further left and is never reached, so a spoofed header
cannot change whose budget a request spends.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for part in spec:
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {part!r} is not an IP address or CIDR network (e.g. 10.0.0.1 or 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def _address(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def real_client_ip(remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client address: REMOTE_ADDR unless it is a trusted proxy, then the rightmost
    untrusted address of X-Forwarded-For. A malformed hop ends the walk at the last
    trusted address, never at something the client chose."""
    peer = _address(remote_addr)
    if not _trusted(peer, trusted) or not forwarded_for.strip():
        return remote_addr
    client = str(peer)
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            return client
        client = str(address)
        if not _trusted(address, trusted):
            return client
    return client  # every hop was one of our proxies: the leftmost is as far as we can see


def client_ip(request) -> str:
    """The one client address every per-address limit uses (django-ratelimit keys and
    django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return real_client_ip(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        parse_networks(tuple(settings.TRUSTED_PROXIES)),
    )


def ratelimit_key(group, request) -> str:
    """django-ratelimit's key callable: the real client address."""
    return client_ip(request)
