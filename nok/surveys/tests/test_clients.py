"""Which address of a respondent is hashed: X-Forwarded-For only from configured proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from nok.surveys.clients import client_address, request_client_address, trusted_networks
from nok.surveys.models import Response
from nok.surveys.services import client_hash_of
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment
from nok.surveys.tests.test_public_form import answer_all

PROXY = trusted_networks(["10.0.0.5", "192.168.0.0/16"])


class ClientAddressTests:
    def test_it_uses_remote_addr_when_no_proxy_is_trusted(self):
        assert client_address("10.0.0.5", "203.0.113.7", ()) == "10.0.0.5"

    def test_it_ignores_the_header_from_a_client_that_is_not_a_trusted_proxy(self):
        # Anyone can send X-Forwarded-For: a direct client must not choose its own address.
        assert client_address("198.51.100.9", "203.0.113.7", PROXY) == "198.51.100.9"

    def test_it_takes_the_forwarded_address_from_a_trusted_proxy(self):
        assert client_address("10.0.0.5", "203.0.113.7", PROXY) == "203.0.113.7"

    def test_it_takes_the_rightmost_untrusted_address_of_a_chain(self):
        # A spoofed first entry, then the real client, then an inner trusted proxy.
        chain = "1.2.3.4, 203.0.113.7, 192.168.1.20"
        assert client_address("10.0.0.5", chain, PROXY) == "203.0.113.7"

    def test_it_accepts_ports_and_ipv6_entries(self):
        assert client_address("10.0.0.5", "203.0.113.7:51234", PROXY) == "203.0.113.7"
        assert client_address("10.0.0.5", "[2001:db8::1]:443", PROXY) == "2001:db8::1"

    def test_it_falls_back_to_the_proxy_for_a_malformed_entry(self):
        assert client_address("10.0.0.5", "unknown", PROXY) == "10.0.0.5"

    def test_a_chain_of_trusted_proxies_only_gives_its_first_entry(self):
        assert client_address("10.0.0.5", "192.168.3.3, 10.0.0.5", PROXY) == "192.168.3.3"


class RequestClientAddressTests:
    def test_without_the_setting_respondents_behind_a_proxy_share_one_address(self, settings):
        settings.NOK_TRUSTED_PROXIES = []
        factory = RequestFactory()
        one = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
        two = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.8")
        assert request_client_address(one) == request_client_address(two) == "10.0.0.5"

    def test_with_the_setting_each_respondent_gets_its_own_hash(self, settings):
        settings.NOK_TRUSTED_PROXIES = ["10.0.0.5"]
        factory = RequestFactory()
        one = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
        two = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.8")
        assert request_client_address(one) == "203.0.113.7"
        assert client_hash_of(request_client_address(one), "ua") != client_hash_of(
            request_client_address(two), "ua"
        )


@pytest.mark.django_db
class SubmitBehindProxyTests:
    def test_the_stored_hash_is_of_the_forwarded_address(self, client, settings):
        settings.NOK_TRUSTED_PROXIES = ["127.0.0.1"]
        assessment = make_assessment()
        answer_all(client, assessment, ALL_YES_NO_SITE)
        draft_id = client.get(reverse("surveys:review", args=[assessment.survey_code])).context[
            "draft"
        ].client_id
        client.post(reverse("surveys:submit", args=[assessment.survey_code]),
                    {"client_id": str(draft_id)}, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="203.0.113.7", HTTP_USER_AGENT="ua")
        assert Response.objects.get().client_hash == client_hash_of("203.0.113.7", "ua")
