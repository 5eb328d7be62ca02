"""The reader's network address, as far as we can trust it."""

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
            return hops[-hops_trusted]
    return request.META.get("REMOTE_ADDR", "")
