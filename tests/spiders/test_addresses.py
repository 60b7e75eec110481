"""Which addresses are public, and the resolver's RFC 6761 shortcut for *.localhost."""

from __future__ import annotations

import pytest

from spiders.addresses import is_localhost_name, literal_address, non_public_kind


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "reserved"),  # carrier-grade NAT
        ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("8.8.8.8", None),
        ("203.0.113.0", "private"),  # documentation range
        ("2001:4860:4860::8888", None),
    ],
)
def test_non_public_kind(address: str, kind: str | None) -> None:
    assert non_public_kind(address) == kind


@pytest.mark.parametrize(
    ("host", "expected"),
    [("localhost", True), ("LocalHost.", True), ("beritaturki.localhost", True),
     ("a.b.localhost", True), ("localhost.example.com", False), ("notlocalhost", False)],
)
def test_is_localhost_name(host: str, expected: bool) -> None:
    assert is_localhost_name(host) is expected


def test_literal_address() -> None:
    assert literal_address("10.0.0.1") == "10.0.0.1"
    assert literal_address("[::1]") == "::1"
    assert literal_address("kompas.com") is None


def test_resolver_maps_localhost_names_without_dns() -> None:
    from twisted.internet.base import ReactorBase

    from spiders.resolver import LocalhostAwareResolver

    results: list[str] = []
    resolver = LocalhostAwareResolver.__new__(LocalhostAwareResolver)  # no reactor needed
    assert isinstance(resolver, LocalhostAwareResolver) and ReactorBase is not None
    resolver.getHostByName("detakpos.localhost").addCallback(results.append)
    resolver.getHostByName("localhost").addCallback(results.append)
    assert results == ["127.0.0.1", "127.0.0.1"]
