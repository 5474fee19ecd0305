"""The address guard: private, loopback, link-local and reserved networks are refused."""

from __future__ import annotations

import ipaddress

import pytest

import scoring
import siteaudit
from siteaudit.fetch import Fetcher, FetchSettings
from siteaudit.safety import GuardedBackend, is_public, resolve
from siteaudit.tests.fixtures import site_tiny
from siteaudit.tests.fixtures.kit import serve


class IsPublicTests:
    @pytest.mark.parametrize("address", [
        "10.0.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "127.0.0.1", "127.8.8.8",
        "169.254.169.254", "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255",
        "192.0.2.10", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1",
        "::ffff:10.1.2.3", "2002:7f00:0001::1", "ff02::1",
    ])
    def test_it_refuses_addresses_that_are_not_global(self, address):
        assert is_public(ipaddress.ip_address(address)) is False

    @pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2a00:1450:4001:82b::200e",
                                         "::ffff:8.8.8.8"])
    def test_it_accepts_global_addresses(self, address):
        assert is_public(ipaddress.ip_address(address)) is True

    def test_a_name_resolving_to_loopback_is_refused(self):
        with pytest.raises(siteaudit.UnsafeAddress, match="частной, локальной"):
            resolve("localhost", 80, allow_private=False)

    def test_allow_private_lets_loopback_through(self):
        assert resolve("127.0.0.1", 80, allow_private=True) == ["127.0.0.1"]


class GuardTests:
    def test_an_audit_of_a_local_site_is_refused_by_default(self):
        site = site_tiny.build()
        methodology = scoring.load_methodology("social-2018")
        with serve(site.files) as (base, log):
            with pytest.raises(siteaudit.UnsafeAddress):
                siteaudit.audit(base + "/", methodology)
        assert log == []

    def test_an_audit_of_a_local_site_runs_when_private_addresses_are_allowed(self):
        site = site_tiny.build()
        methodology = scoring.load_methodology("social-2018")
        fetch = FetchSettings(delay=0, allow_private=True)
        with serve(site.files) as (base, log):
            report = siteaudit.audit(base + "/", methodology, siteaudit.CrawlSettings(fetch=fetch))
        assert report.items["contacts"].found

    def test_the_connection_itself_is_guarded_even_without_the_pre_check(self):
        # every connection (first request, each redirect hop, each page) goes through the
        # guarded network backend; skipping the pre-check must not open a connection
        class NoPreCheck(Fetcher):
            def check(self, url: str) -> None:
                pass

        with serve({}) as (base, log), NoPreCheck(FetchSettings(delay=0)) as fetcher:
            result = fetcher.get(base + "/")
        assert log == []
        assert "частной, локальной" in result.error

    def test_the_backend_refuses_a_private_address(self):
        with pytest.raises(siteaudit.UnsafeAddress):
            GuardedBackend(allow_private=False).connect_tcp("127.0.0.1", 9)
