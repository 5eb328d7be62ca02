"""django-anymail reports bounces and complaints as a signal; this hands them to the service."""

from anymail.signals import tracking
from django.dispatch import receiver

from . import services
from .models import Subscriber

STOPPING_EVENTS = {"bounced": Subscriber.Status.BOUNCED, "complained": Subscriber.Status.COMPLAINED}


@receiver(tracking)
def stop_mailing_undeliverable(sender, event, esp_name, **kwargs):
    status = STOPPING_EVENTS.get(event.event_type)
    if status and event.recipient:
        services.subscribers_mark_undeliverable(emails=[event.recipient], status=status)
