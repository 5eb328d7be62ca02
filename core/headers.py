"""Security headers Django's SecurityMiddleware does not send: Permissions-Policy and
Cross-Origin-Resource-Policy.

Pages are read on this site only, so they are ``same-origin`` resources. Images and
other static files are different: newsletters in webmail and mail programs, feed
readers and sites that quote us load them from another origin, so files under
``STATIC_URL`` and ``MEDIA_URL`` are ``cross-origin`` resources.
"""

from django.conf import settings


def resource_policy(path: str) -> str:
    """The Cross-Origin-Resource-Policy for a response to ``path``."""
    shared = [prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix and prefix.startswith("/")]
    return "cross-origin" if path.startswith(tuple(shared)) else "same-origin"


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy (``PERMISSIONS_POLICY``) and Cross-Origin-Resource-Policy
    to every response that does not carry them already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
            )
        if "Cross-Origin-Resource-Policy" not in response:
            response["Cross-Origin-Resource-Policy"] = resource_policy(request.path_info)
        return response
