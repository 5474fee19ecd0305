"""Which addresses the crawler may connect to.

A site audit fetches addresses typed by users, so a server running it must not be turned
against its own network: every host name is resolved first and refused when any of its
addresses is private, loopback, link-local, multicast, reserved or otherwise not globally
routable (IPv4 and IPv6, including IPv4-mapped IPv6). The check runs for the start address,
for every redirect and every fetched URL, and once more when the connection is opened: the
crawler connects to the very address it checked (:class:`GuardedBackend`), so a name that
resolves differently the second time (DNS rebinding) gains nothing.

``allow_private=True`` lifts the refusal (tests on 127.0.0.1; the CLI's
``--allow-private-addresses``; the server's ``NOK_SITE_AUDIT_ALLOW_PRIVATE``).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore

from siteaudit.errors import UnsafeAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IPAddress) -> bool:
    """True for a globally routable unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    if isinstance(address, ipaddress.IPv6Address) and address.sixtofour is not None:
        return is_public(address.sixtofour)
    return address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local
        or address.is_multicast or address.is_reserved or address.is_unspecified
    )


def resolve(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The addresses of ``host``; :class:`UnsafeAddress` if any of them may not be used.

    All addresses must pass, not just the first: the connection may go to any of them.
    """
    host = host.strip("[]")
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError):
            raise UnsafeAddress(host, "имя не найдено в DNS", unresolved=True) from None
        addresses = list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))
    if not addresses:
        raise UnsafeAddress(host, "у имени нет адресов", unresolved=True)
    if not allow_private:
        for value in addresses:
            if not is_public(ipaddress.ip_address(value)):
                raise UnsafeAddress(
                    host, f"адрес {value} относится к частной, локальной или служебной сети"
                )
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend that connects only to checked addresses.

    TLS still verifies the certificate against the host name of the URL (httpcore passes the
    name, not the address, to the TLS layer), so connecting by address loses nothing.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port, allow_private=self.allow_private)
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise UnsafeAddress(path, "соединения через unix-сокет не используются")
