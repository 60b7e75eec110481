"""Which network addresses pantau may crawl: public ones only, unless told otherwise.

``*.localhost`` and ``localhost`` are loopback names (RFC 6761): they never leave the machine, so
pantau maps them to 127.0.0.1 itself instead of asking the system resolver.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_V4 = "127.0.0.1"


def is_localhost_name(host: str) -> bool:
    """True for ``localhost`` and any name under ``.localhost`` (case-insensitive)."""
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


def non_public_kind(address: str) -> str | None:
    """``None`` for a public unicast address, else what it is (``'loopback'``, ``'private'``, …).

    Raises ``ValueError`` if ``address`` is not an IP address.
    """
    ip = ipaddress.ip_address(address.strip("[]"))
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"
    return None


def literal_address(host: str) -> str | None:
    """The host itself when it is an IP literal (``10.0.0.1``, ``[::1]``), else ``None``."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None
