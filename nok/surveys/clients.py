"""The address of a respondent's device, as far as it can be trusted (only ever hashed).

Behind a reverse proxy every request arrives from the proxy, so REMOTE_ADDR alone would make
all respondents one «client» (and the burst-per-client check would flag them all). The proxy
passes the real address in ``X-Forwarded-For``; that header is believed only when the request
comes from a proxy listed in the setting ``NOK_TRUSTED_PROXIES`` (environment variable of the
same name: a comma list of IP addresses or networks, e.g. ``127.0.0.1,10.0.0.0/8``). Anyone can
send the header, so without the setting it is ignored.

The header is read from the right: each proxy appends the address it received the request
from, so the rightmost address not belonging to a trusted proxy is the client's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:  # "[2001:db8::1]:443"
        raw = raw[1 : raw.index("]")]
    elif raw.count(":") == 1:  # "203.0.113.7:51234"
        raw = raw.split(":")[0]
    try:
        return ipaddress.ip_address(raw)
    except ValueError:
        return None


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The proxies of the setting as networks (a bare address is a /32 or /128)."""
    networks = []
    for entry in entries:
        entry = entry.strip()
        if entry:
            networks.append(ipaddress.ip_network(entry, strict=False))
    return tuple(networks)


def client_address(remote_addr: str, forwarded_for: str, trusted: Iterable[Network]) -> str:
    """The client's address: REMOTE_ADDR, or, when it is a trusted proxy, the rightmost
    address of ``forwarded_for`` that is not itself a trusted proxy."""
    trusted = tuple(trusted)

    def is_trusted(raw: str) -> bool:
        address = _address(raw)
        return address is not None and any(address in network for network in trusted)

    if not trusted or not forwarded_for or not is_trusted(remote_addr):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            address = _address(hop)
            # A malformed entry is as far as the chain can be followed: stop at it.
            return str(address) if address is not None else remote_addr
    return hops[0] if hops else remote_addr


def request_client_address(request: HttpRequest) -> str:
    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_networks(getattr(settings, "NOK_TRUSTED_PROXIES", [])),
    )
