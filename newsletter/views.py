from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core import ratelimit
from core.net import client_ip
from core.origin import same_origin_post
from core.pagecache import public_page

from . import services, tokens
from .forms import SignupForm
from .models import Subscriber


# Every page carries a signup form and is cached, so there is no CSRF cookie: a post
# from another site is refused by its Origin; a forged one from elsewhere could at
# worst send one rate-limited confirmation email (double opt-in).
@same_origin_post
@require_http_methods(["GET", "HEAD", "POST"])
@public_page
def signup(request):
    """The newsletter page, and where every signup form on the site posts to."""
    if request.method != "POST":
        return render(request, "newsletter/signup.html", {"form": SignupForm()})
    form = SignupForm(request.POST)
    ip_address = client_ip(request)
    if not ratelimit.allow("newsletter-signup", ip_address, limit=settings.NEWSLETTER_SIGNUP_RATE_LIMIT,
                           window=3600):
        form.is_valid()
        form.add_error(None, "Too many signups from your network. Please try again in an hour.")
        return render(request, "newsletter/signup.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "newsletter/signup.html", {"form": form}, status=400)
    if not form.cleaned_data["website"]:  # a filled honeypot gets the same answer, and nothing else
        services.subscriber_signup(
            email=form.cleaned_data["email"], ip_address=ip_address, signup_form=form.cleaned_data["source"]
        )
    return redirect("newsletter:check_inbox")


@require_http_methods(["GET", "HEAD"])
@public_page
def check_inbox(request):
    return render(request, "newsletter/check_inbox.html")


def _confirm_failed(request, problem: str, subscriber: Subscriber | None = None):
    return render(request, "newsletter/confirm_failed.html", {"problem": problem, "subscriber": subscriber},
                  status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows one Confirm button (mail scanners follow links); only the POST confirms.

    A link used again says the reader is subscribed already. A link from before the reader
    unsubscribed, or for an address deleted since, says so and offers a new link: coming
    back takes a new signup. None of these changes anything.
    """
    try:
        subscriber = tokens.subscriber_from_confirmation(token)
        if subscriber is None:
            return _confirm_failed(request, "invalid")
        if request.method == "POST":
            subscriber = services.subscriber_confirm(subscriber=subscriber, ip_address=client_ip(request))
            return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
        services.confirmation_check(subscriber=subscriber)
        return render(request, "newsletter/confirm.html", {"subscriber": subscriber})
    except signing.SignatureExpired:
        return _confirm_failed(request, "expired")
    except Subscriber.DoesNotExist:
        return _confirm_failed(request, "gone")
    except services.AlreadySubscribed as already:
        return render(request, "newsletter/already_subscribed.html", {"subscriber": already.subscriber})
    except services.ConfirmationRefused as refused:
        if refused.subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return _confirm_failed(request, "unsubscribed", refused.subscriber)
        # Bounced or complained: the same answer as a link that does not work.
        return _confirm_failed(request, "invalid")


@csrf_exempt  # RFC 8058 one-click: mail providers POST here without a token or a login
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscriber = tokens.subscriber_from_unsubscribe(token)
    if subscriber is None:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
