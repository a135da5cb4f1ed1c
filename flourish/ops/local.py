"""Where `flourish run` serves, and the links that point there.

Emailed and printed links are built from SITE_URL. Served on another port, or on every
address so that a phone on the same network can answer as a rater, the links must follow,
and Django must accept the address the phone asks for. This works that out for the two
processes `flourish run` starts; an explicit SITE_URL or ALLOWED_HOSTS always wins.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass, field

EVERY_ADDRESS = ("0.0.0.0", "::", "[::]")  # noqa: S104 - the point: reachable from a phone
DEFAULT_HOSTS = "127.0.0.1,localhost,[::1]"  # settings.ALLOWED_HOSTS in DEBUG


@dataclass(frozen=True)
class Serving:
    addrport: str  # what runserver is given
    site_url: str
    environment: dict[str, str] = field(default_factory=dict)  # added to the children's
    notes: tuple[str, ...] = ()  # printed once at start


def split_addrport(addrport: str) -> tuple[str, int]:
    """'8123' -> ('127.0.0.1', 8123); '0.0.0.0:8123'; '[::]:8123'. A clear error otherwise."""
    host, _, port = addrport.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{addrport!r}: give PORT or ADDRESS:PORT, e.g. 8123 or 0.0.0.0:8123")
    return (host or "127.0.0.1"), int(port)


def network_address() -> str:
    """This machine's address on its network, as another device there would use it. A UDP
    'connect' only picks the outgoing interface; nothing is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def serving(addrport: str, environ: Mapping[str, str], lan_address: str | None = None) -> Serving:
    host, port = split_addrport(addrport)
    everywhere = host in EVERY_ADDRESS
    link_host = (lan_address or network_address()) if everywhere else host
    environment: dict[str, str] = {}
    notes: list[str] = []
    site_url = environ.get("SITE_URL", "").rstrip("/")
    if not site_url:
        site_url = f"http://{link_host}:{port}"
        environment["SITE_URL"] = site_url
    elif not site_url.endswith(f":{port}"):
        notes.append(f"SITE_URL is {site_url}, but the server listens on port {port}: "
                     "emailed links will point at SITE_URL.")
    if "ALLOWED_HOSTS" not in environ and link_host not in DEFAULT_HOSTS.split(","):
        environment["ALLOWED_HOSTS"] = f"{DEFAULT_HOSTS},{link_host}"
    notes.append(f"Flourish is at {site_url}/ (emailed and printed links point there).")
    if everywhere:
        notes.append(f"On a phone on the same network, open {site_url}/ "
                     "(a rater's link from the demo works there too). Development server only: "
                     "do not leave it open on a network you do not trust.")
    return Serving(addrport=f"{host}:{port}" if ":" not in host else f"[{host.strip('[]')}]:{port}",
                   site_url=site_url, environment=environment, notes=tuple(notes))


if __name__ == "__main__":  # `python -m flourish.ops.local ADDR:PORT`: the SITE_URL (the Makefile's demo)
    import os
    import sys

    print(serving(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000", os.environ).site_url)
