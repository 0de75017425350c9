"""The client address: REMOTE_ADDR unless trusted proxies are configured."""

import pytest
from django.test import RequestFactory, override_settings

from clusterdesk.accounts.client import address_bucket, client_ip


def request(remote="198.51.100.9", **meta):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


def test_without_proxies_a_forwarded_for_header_is_ignored():
    assert client_ip(request(HTTP_X_FORWARDED_FOR="10.1.1.1")) == "198.51.100.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "10.9.9.9, 203.0.113.5", "203.0.113.5"),  # the client's own entry stays unread
        (2, "10.9.9.9, 203.0.113.5, 192.0.2.1", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # fewer hops than proxies: the outermost's entry
        (1, "", "198.51.100.9"),  # not through the proxy: the connection's address
        (1, "not-an-address", "198.51.100.9"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_with_proxies_the_entry_they_appended_is_the_client(proxies, forwarded, expected):
    with override_settings(CLUSTERDESK_TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request(HTTP_X_FORWARDED_FOR=forwarded)) == expected


@override_settings(CLUSTERDESK_TRUSTED_PROXY_COUNT=1, CLUSTERDESK_CLIENT_IP_HEADER="X-Real-IP")
def test_the_header_is_configurable():
    meta = {"HTTP_X_REAL_IP": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "10.1.1.1"}
    assert client_ip(request(**meta)) == "203.0.113.5"


def test_an_unusable_remote_addr_is_unknown():
    assert client_ip(request(remote="")) == "unknown"


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),  # same subscriber, same count
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("unknown", "unknown"),
    ],
)
def test_per_address_limits_count_ipv6_per_64_network(address, bucket):
    assert address_bucket(address) == bucket
