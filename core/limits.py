"""How much a request may send, decided from its headers before its body is read.

Readers send little: a comment is at most a few thousand characters, a signup one
address. Staff send images through the admin and the editor's upload, bounded by
MAX_IMAGE_UPLOAD_MB. So a request that announces more than ANONYMOUS_MAX_BODY_BYTES
is refused (413) unless it comes with the session of a signed-in staff member, and
even theirs is refused above STAFF_MAX_BODY_BYTES. Django's own limits
(DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS) then apply to what
passes, once a view reads the body.

A body sent in chunks announces no length. Django reads a request's body only up to its
Content-Length, so it would never see such a body, and the application server would
read and throw away what the client keeps sending; it is refused at once (411) instead.
"""

from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.crypto import constant_time_compare


class RequestBodyLimitMiddleware:
    """Refuses a request whose announced body is larger than its sender may send.

    Placed early: nothing before it reads the body, and neither does it. The session is
    read only for a request that announces more than a reader may send.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH", "")
        if not declared:
            if request.META.get("HTTP_TRANSFER_ENCODING"):
                return refusal(411, "Please send the length of what you send (Content-Length).")
            return self.get_response(request)
        if not declared.isascii() or not declared.isdigit():
            return refusal(400, "The request's Content-Length is not a number.")
        length = int(declared)
        if length > settings.ANONYMOUS_MAX_BODY_BYTES and not signed_in_staff(request):
            return refusal(413, f"Too much to send here: at most {kib(settings.ANONYMOUS_MAX_BODY_BYTES)} KB.")
        if length > settings.STAFF_MAX_BODY_BYTES:
            return refusal(413, f"Too much to send at once: at most {kib(settings.STAFF_MAX_BODY_BYTES)} KB.")
        return self.get_response(request)


def kib(size: int) -> int:
    return size // 1024


def refusal(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(response.content))  # it is answered before CommonMiddleware
    return response


def signed_in_staff(request) -> bool:
    """Whether the request's session belongs to an active staff member.

    Read from the session cookie with the same checks django.contrib.auth makes (the
    backend, the user, the password hash the session was made with), but without what
    it does to a session that fails them (flushing it, or giving it a new key): the
    session middleware later in the chain does that, on the session it loads itself.
    """
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return False
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return False
    user = auth.load_backend(backend_path).get_user(user_id)
    if user is None or not (user.is_active and user.is_staff):
        return False
    session_hash = session.get(auth.HASH_SESSION_KEY) or ""
    known_hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return bool(session_hash) and any(constant_time_compare(session_hash, known) for known in known_hashes)
