import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    help = (
        "Make sure the superuser 'admin' exists. Its password is DJANGO_SUPERUSER_PASSWORD "
        "when set; otherwise a new account gets a generated password, printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        user = User.objects.filter(username="admin").first()
        if user is not None:
            if password:
                user.set_password(password)
                user.save(update_fields=["password"])
                self.stdout.write("Admin user 'admin' exists; password set from DJANGO_SUPERUSER_PASSWORD.")
            else:
                self.stdout.write("Admin user 'admin' exists.")
            return
        generated = not password
        if generated:
            password = get_random_string(20)
        User.objects.create_superuser("admin", email="", password=password)
        if generated:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created admin user 'admin' with password: {password}\n"
                    "It is shown only this once; set DJANGO_SUPERUSER_PASSWORD to choose your own."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Created admin user 'admin' (password from DJANGO_SUPERUSER_PASSWORD)."))
