"""The client's network address, as the login throttles (and anything else) should see it.

Without configuration it is ``REMOTE_ADDR``, the address the connection came from, which no
client can choose: a header such as X-Forwarded-For is then ignored, because anyone can send one.
Behind reverse proxies, ``REMOTE_ADDR`` is the nearest proxy, so every visitor would share one
address; set ``CLUSTERDESK_TRUSTED_PROXY_COUNT`` to the number of proxies in front of the site
and, if they use another header, ``CLUSTERDESK_CLIENT_IP_HEADER``. Each proxy appends the address
it received the request from, so with N proxies the client is the N-th entry from the right:
whatever a client wrote into the header itself stays to the left and is never read.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def client_ip(request: HttpRequest) -> str:
    """The client's address as text (``"unknown"`` only when even REMOTE_ADDR is unusable)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    proxies = getattr(settings, "CLUSTERDESK_TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    header = getattr(settings, "CLUSTERDESK_CLIENT_IP_HEADER", "X-Forwarded-For")
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    hops = [hop.strip() for hop in raw.split(",") if hop.strip()]
    if not hops:  # not through the proxies (e.g. a health check on the host itself)
        return remote
    # Fewer hops than proxies: the first proxy got the request without the header; the
    # left-most entry is then the one the outermost proxy wrote.
    return _valid(hops[-min(proxies, len(hops))]) or remote


def address_bucket(address: str) -> str:
    """What a per-address limit counts: an IPv4 address, or the /64 network of an IPv6 one
    (one IPv6 subscriber usually holds a whole /64 and could otherwise rotate through it)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:1.2.3.4 is the IPv4 client 1.2.3.4
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None
