import secrets

from django.db import migrations, models

import newsletter.models


def give_every_subscriber_a_key(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    rows = list(Subscriber.objects.filter(unsubscribe_key__isnull=True).only("pk"))
    for row in rows:
        row.unsubscribe_key = secrets.token_urlsafe(24)
    Subscriber.objects.bulk_update(rows, ["unsubscribe_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0002_digest_claim")]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="unsubscribe_key",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(give_every_subscriber_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscriber",
            name="unsubscribe_key",
            field=models.CharField(default=newsletter.models.new_unsubscribe_key, editable=False,
                                   max_length=32, unique=True),
        ),
    ]
