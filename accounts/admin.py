from django.contrib import admin
from django_otp_webauthn.admin import WebAuthnCredentialAdmin
from django_otp_webauthn.models import WebAuthnCredential

# Staff add and remove their own passkeys on the two-factor page; here a superuser can
# see everyone's, and remove a lost one so its owner can sign in with another factor.
admin.site.register(WebAuthnCredential, WebAuthnCredentialAdmin)
