from django.conf import settings


def with_sources(policy: str, sources: dict[str, list[str]]) -> str:
    """``policy`` with ``sources`` added to its directives (a directive it lacks is
    added, starting from ``'self'``)."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    for name, origins in sources.items():
        for index, directive in enumerate(directives):
            if directive.split()[0] == name:
                directives[index] = " ".join([directive, *origins])
                break
        else:
            directives.append(" ".join([name, "'self'", *origins]))
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy header (Django 5.2 has no built-in one).

    Public pages get the strict policy, widened by exactly the origins of the ad
    network in use (``AD_NETWORK``), if any. The admin's rich-text editor needs inline
    styles, so paths under the admin get ``CONTENT_SECURITY_POLICY_ADMIN``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith("/" + settings.ADMIN_URL):
                policy = settings.CONTENT_SECURITY_POLICY_ADMIN
            elif settings.AD_NETWORK:
                policy = with_sources(
                    settings.CONTENT_SECURITY_POLICY, settings.AD_NETWORKS[settings.AD_NETWORK]["sources"]
                )
            else:
                policy = settings.CONTENT_SECURITY_POLICY
            response["Content-Security-Policy"] = policy
        return response
