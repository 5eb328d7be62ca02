"""Who may skip comment moderation, and how they prove it.

An address is trusted only when an editor marked it (``TrustedCommenter``); even then a
comment that merely names it waits, because anyone can type an address. Its writer proves
the address is theirs by following a signed link we email to it. That publishes the
comment and leaves a signed cookie in their browser, so their next comments from there
appear at once. Staff signed in to the site are trusted as themselves.
"""

from django.conf import settings
from django.core import signing

from .models import Article, Comment, TrustedCommenter

PROOF_SALT = "articles.commenter-proof"
LINK_SALT = "articles.commenter-link"
# How long a browser stays recognised after its writer followed a link (a year).
PROOF_MAX_AGE = 365 * 24 * 3600


def proof_cookie_name() -> str:
    # Over HTTPS the __Host- prefix tells browsers to take the cookie only from this host,
    # over a secure connection, for the whole site: no subdomain can plant or widen it.
    return "__Host-commenter" if settings.HTTPS else "commenter"


def proven_email(request) -> str:
    """The address this browser proved it reads, or "" (no cookie, forged, or too old)."""
    value = request.get_signed_cookie(proof_cookie_name(), default="", salt=PROOF_SALT, max_age=PROOF_MAX_AGE)
    return value if isinstance(value, str) else ""


def remember_proof(response, email: str) -> None:
    response.set_signed_cookie(
        proof_cookie_name(), TrustedCommenter.normalize_email(email), salt=PROOF_SALT,
        max_age=PROOF_MAX_AGE, secure=settings.HTTPS, httponly=True, samesite="Lax", path="/",
    )


def skips_moderation(*, email: str, request) -> bool:
    """Whether a comment signed with ``email``, sent with ``request``, is published at once."""
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff:
        return True
    address = TrustedCommenter.normalize_email(email)
    return proven_email(request) == address and TrustedCommenter.objects.has_email(address)


def publish_link_token(comment: Comment) -> str:
    return signing.dumps({"c": comment.pk, "e": TrustedCommenter.normalize_email(comment.email)}, salt=LINK_SALT)


def comment_from_link(token: str) -> Comment | None:
    """The pending comment a "publish my comment" link is for, or None when the link is
    not ours, too old, its comment was moderated or deleted meanwhile, or its article is
    no longer public."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=settings.COMMENT_PUBLISH_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    comment = (Comment.objects.pending().select_related("article")
               .filter(pk=data.get("c"), article__in=Article.objects.published()).first())
    if comment is None or TrustedCommenter.normalize_email(comment.email) != data.get("e"):
        return None
    return comment
