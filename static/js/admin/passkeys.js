// The two-factor page: once django-otp-webauthn's script has added a passkey, reload the
// page, so the list shows it and the message says so.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
