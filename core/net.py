"""The reader's network address, as far as we can trust it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address of the client that sent ``request``.

    Behind ``TRUSTED_PROXY_COUNT`` proxies of our own, each appends the address it saw to
    ``X-Forwarded-For``; the client's is the one our outermost proxy wrote, that many hops
    from the right. Anything further left was written by the client and is ignored. With no
    trusted proxy (the default), the header is not read at all.
    """
    hops_trusted = settings.TRUSTED_PROXY_COUNT
    if hops_trusted > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= hops_trusted:
            address = _ip_address(hops[-hops_trusted])
            if address:
                return address
    return request.META.get("REMOTE_ADDR", "")


def _ip_address(hop: str) -> str:
    """The IP address in one ``X-Forwarded-For`` entry, or "" when it holds none (then the
    connecting address is used, never the entry's text). Some proxies add a port."""
    if hop.startswith("[") and "]" in hop:  # [2001:db8::1]:443
        hop = hop[1:hop.index("]")]
    elif hop.count(":") == 1:  # 203.0.113.7:5678
        hop = hop.split(":")[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return ""
