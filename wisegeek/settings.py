"""WiseGeek CMS settings: one file, configured from environment variables.

Every variable, with its default, is listed in the README. Behaviour is switched by
variables rather than by separate files, so the tests run the production code paths.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# --- Core -------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

# Where the SQLite database, uploads and other local state live (git-ignored).
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

# The key comes from SECRET_KEY, or from a file (make run writes var/secret_key).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_FILE = Path(os.environ.get("SECRET_KEY_FILE", VAR_DIR / "secret_key"))
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
# Without a key, commands that sign nothing (check, makemigrations, migrate) still work;
# serving refuses to start (wisegeek/wsgi.py, core.checks.require_secret_key) and
# `check --deploy` reports core.E001. DEBUG alone gets a dummy key.
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"
# Rotating the key: put the old one here (comma-separated) so links already emailed
# (confirmations, unsubscribes) keep working while they age out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# The site's public address (scheme and host): the one source of every absolute URL
# made outside a request: emails, feeds, sitemaps, canonical links, "View on site".
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Where the admin lives ("admin/" by default): a less obvious prefix takes the site's
# sign-in page out of the way of scripts that try /admin/ on every site they find.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django_ckeditor_5",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "anymail",
    "csp",
    "core",
    "images",
    "partners",
    "authors",
    "articles",
    "newsletter",
    "demo",
    # Admin protection: sign-in attempts limited (axes), two-factor sign-in (django-otp),
    # idle staff sessions ended (accounts).
    "accounts.apps.SignInAttemptsConfig",  # django-axes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts.apps.PasskeysConfig",  # django-otp-webauthn
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise and the page cache, so static files and cached pages get them too.
    "core.csp.ContentSecurityPolicyMiddleware",
    "core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses an over-long request body from its headers, before anything reads it.
    "core.limits.RequestBodyLimitMiddleware",
    # Compresses what the page cache did not (its pages are stored compressed).
    "django.middleware.gzip.GZipMiddleware",
    # Anonymous pages from the shared cache; answered before the session is read.
    "core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin pages: noindex and never cached; idle staff sessions end; two-factor sign-in.
    "accounts.middleware.AdminHeadersMiddleware",
    "accounts.middleware.StaffIdleTimeoutMiddleware",
    "accounts.middleware.AdminTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Django's flat pages fallback, minus a slash-adding redirect to another site.
    "core.redirects.FlatpageFallbackMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wisegeek.urls"
WSGI_APPLICATION = "wisegeek.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wisegeek.context_processors.publication",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite creates its file, not the folder
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions and a
    # busy timeout make concurrent writers queue instead of failing with "locked".
    # Connections are kept like PostgreSQL's (DATABASE_CONN_MAX_AGE): opening one and
    # running its PRAGMAs was 2 ms of every uncached request (bench/pages.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the lock before "database is locked".
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------

# Whatever one process caches and another invalidates must live where all of them
# look: Redis with REDIS_URL (several servers), otherwise files under VAR_DIR/cache,
# which every gunicorn worker on the machine shares (bench/cache_backends.py compares
# the candidates). Rate limits count in Redis, or in the database without it.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, reading a miss and writing nothing while Redis is away
            # (core/cache.py), so pages are still served; a hung Redis is given up after 2 s.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            # Sites sharing one Redis database need prefixes of their own.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "wisegeek"),
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        },
    }

# The full-page cache for anonymous readers (core/pagecache.py), in the cache above.
# PAGE_CACHE=0 turns it off; pages are still sent with the same HTTP caching headers.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# How long the shared cache keeps a page nobody changed (seconds).
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 24 * 3600)
# What anonymous pages tell browsers (max-age) and CDNs (s-maxage): how long they may
# reuse a page, and how long after that they may serve it while fetching a fresh one.
# Browsers ask again every time by default (answered 304 while nothing changed), so a
# reader never sees an older page than the CDN has.
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 0)
PAGE_SHARED_MAX_AGE = env_int("PAGE_SHARED_MAX_AGE", 300)
PAGE_STALE_WHILE_REVALIDATE = env_int("PAGE_STALE_WHILE_REVALIDATE", 60)
# Brotli quality for stored pages (0-11): paid once per page and change, not per reader.
PAGE_BROTLI_QUALITY = env_int("PAGE_BROTLI_QUALITY", 9)
# Pages each worker also keeps in its own memory (for the current version only), so a
# hit reads just the version from the shared cache.
PAGE_CACHE_WORKER_PAGES = env_int("PAGE_CACHE_WORKER_PAGES", 200)

# --- Passwords and sessions -------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in attempts are counted per username and per client address, separately: either
# reaching LOGIN_FAILURE_LIMIT wrong passwords locks it for LOGIN_COOLOFF_MINUTES (every
# try while locked starts the wait again). A successful sign-in clears the count.
# django-axes keeps the count in the database, or in Redis when REDIS_URL is set, so every
# worker and app server sees the same count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses while locked; checks no password
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Our proxy-aware address (TRUSTED_PROXY_COUNT), so X-Forwarded-For cannot be forged.
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_HANDLER = ("axes.handlers.cache.AxesCacheHandler" if REDIS_URL
                else "axes.handlers.database.AxesDatabaseHandler")
AXES_CACHE = "default"
# Passwords are never logged; neither are the other fields of a failed sign-in.
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
# No "AXES: BEGIN ..." banner at the start of every manage.py command and worker; failed
# sign-ins and lock-outs are logged all the same.
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, TOTP authenticator apps): staff turn it on from the
# admin (accounts.views.two_factor); OTP_REQUIRED_FOR_STAFF=1 makes every staff user set
# it up before anything else in the admin.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", False)
# The name authenticator apps show beside the account (the publication's, SITE_NAME).
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "WiseGeek")

# Passkeys (django-otp-webauthn) are the other second factor staff can add. They belong
# to a domain (the relying party), never to an IP address: SITE_URL's host, or localhost
# when SITE_URL is this machine's own address (make run). Browsers allow them only over
# HTTPS or on localhost; on any other plain-HTTP SITE_URL the two-factor page says so and
# offers the authenticator app alone. A passkey is a second factor here, after the
# password, never a way to sign in without one.
_site = urlsplit(SITE_URL)
_passkey_host = "localhost" if _site.hostname in {"127.0.0.1", "::1"} else _site.hostname
_passkey_origin = f"{_site.scheme}://{_passkey_host}" + (f":{_site.port}" if _site.port else "")
OTP_WEBAUTHN_RP_ID = os.environ.get("PASSKEY_DOMAIN") or _passkey_host
OTP_WEBAUTHN_RP_NAME = os.environ.get("SITE_NAME", "WiseGeek")
# PASSKEY_ORIGINS: the exact origins (scheme://host[:port]) staff may use passkeys from,
# when the admin is reached by other addresses than SITE_URL's.
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("PASSKEY_ORIGINS") or (
    [_passkey_origin] if _site.scheme == "https" or _passkey_host == "localhost" else []
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Without a secure origin there is nothing for passkeys to use; the app's check that
# insists on one would otherwise stop migrate on such a site.
SILENCED_SYSTEM_CHECKS = [] if OTP_WEBAUTHN_ALLOWED_ORIGINS else ["otp_webauthn.E030"]

# A staff session unused for this long is signed out at its next request.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 60)

# --- Internationalisation ---------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -----------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Where `manage.py backup` writes its archives when not given a folder.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or VAR_DIR / "backups")

# Uploads go to MEDIA_ROOT on local disk, unless S3_BUCKET names a bucket in S3 or
# an S3-compatible store (S3_ENDPOINT_URL): then every app server reads and writes
# the same files. Keys come from S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY, else from
# boto3's own lookup (AWS_* variables, an instance role). Image URLs are plain, not
# signed, because pages are cached: the bucket (or the CDN at S3_CUSTOM_DOMAIN)
# must let anyone read its objects.
S3_BUCKET = os.environ.get("S3_BUCKET") or os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")
S3_CUSTOM_DOMAIN = os.environ.get("S3_CUSTOM_DOMAIN", "")
if S3_BUCKET:
    UPLOADS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": S3_CUSTOM_DOMAIN or None,
            "querystring_auth": False,
            # A name is never reused, so a cached image never changes under its URL.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    # Where readers' browsers fetch images from, for the Content-Security-Policy.
    if S3_CUSTOM_DOMAIN:
        MEDIA_ORIGIN = f"https://{S3_CUSTOM_DOMAIN}"
    elif S3_ENDPOINT_URL:
        MEDIA_ORIGIN = "/".join(S3_ENDPOINT_URL.split("/")[:3])  # scheme://host[:port]
    else:
        MEDIA_ORIGIN = f"https://{S3_BUCKET}.s3.amazonaws.com"
else:
    UPLOADS_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_ORIGIN = ""
# On one machine Django serves uploads itself; object storage serves its own, and a
# web server in front may serve MEDIA_ROOT (then set SERVE_MEDIA=0).
SERVE_MEDIA = env_bool("SERVE_MEDIA", not S3_BUCKET)

STORAGES = {
    "default": UPLOADS_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Tests render pages without running collectstatic first.
WHITENOISE_MANIFEST_STRICT = False

# Largest image an editor may upload (featured images, photos, images in the editor).
MAX_IMAGE_UPLOAD_MB = env_int("MAX_IMAGE_UPLOAD_MB", 5)
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 40_000_000)
# Widths (pixels) of the smaller copies made of every uploaded image, in WebP and in the
# image's own format, for browsers to pick from by screen size (manage.py make_renditions).
IMAGE_RENDITION_WIDTHS = sorted({int(w) for w in env_list("IMAGE_RENDITION_WIDTHS", "320,480,800,1200,1600")})
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Request limits ---------------------------------------------------------------

# What a request may send, refused from its headers before the body is read
# (core.limits): readers (a comment is at most COMMENT_MAX_LENGTH characters) at most
# ANONYMOUS_MAX_BODY_BYTES; signed-in staff one image and the form around it.
ANONYMOUS_MAX_BODY_BYTES = env_int("ANONYMOUS_MAX_BODY_BYTES", 64 * 1024)
# Django's limits on the fields of a body (not its files): their total size, and their
# number (the admin's list sends one per ticked row, at most 100 on a page).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
STAFF_MAX_BODY_BYTES = env_int(
    "STAFF_MAX_BODY_BYTES", MAX_IMAGE_UPLOAD_MB * 1024 * 1024 + DATA_UPLOAD_MAX_MEMORY_SIZE
)
# An uploaded file larger than this is written to a temporary file while it arrives,
# rather than held in memory: several workers times several threads could each hold one.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)

# --- Security ---------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Behind TLS in production: HTTPS=1 turns on secure cookies, HSTS and the redirect.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Over HTTPS the cookies carry the __Host- prefix: browsers then accept them only when
# secure, for the whole site (Path=/) and from this host alone (no Domain).
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Ask browsers to ship the site in their HSTS preload list (check --deploy's W021);
# SECURE_HSTS_PRELOAD=0 for a domain that is not ready to be HTTPS-only for good.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
# Behind our own proxies (load balancer, CDN): how many of them append to
# X-Forwarded-For. The client's address is read that many hops from the right, and
# nothing a client writes itself is believed. BEHIND_PROXY=1 means one.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
if BEHIND_PROXY or TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp; core.csp chooses per request). Public pages load
# nothing from other origins but uploaded images (object storage or its CDN, and
# CSP_EXTRA_IMG_SRC) and run no inline code: they are cached and shared by every reader,
# so they cannot carry a per-request nonce. CSP_REPORT_ONLY=1 sends the same policy as
# Content-Security-Policy-Report-Only (to try a change); CSP_REPORT_URI is where browsers
# report violations: a collector's address, or /csp-report/ to have them logged here.
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC")
# (Private names: django-csp reads CSP_REPORT_ONLY and CSP_REPORT_URI as its 3.x settings.)
_csp_report_only = env_bool("CSP_REPORT_ONLY", False)
_csp_report_uri = os.environ.get("CSP_REPORT_URI", "")
CSP_REPORT_RATE_LIMIT = env_int("CSP_REPORT_RATE_LIMIT", 60)  # reports per IP address per minute
_img_src = ["'self'", "data:", *filter(None, [MEDIA_ORIGIN]), *CSP_EXTRA_IMG_SRC]
_reporting = {"report-uri": [_csp_report_uri], "report-to": "csp"} if _csp_report_uri else {}
_public_policy = {"DIRECTIVES": {
    "default-src": ["'self'"], "img-src": _img_src, "style-src": ["'self'"], "script-src": ["'self'"],
    "font-src": ["'self'"], "connect-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'self'"],
    "form-action": ["'self'"], "frame-ancestors": ["'none'"], **_reporting,
}}
CONTENT_SECURITY_POLICY = None if _csp_report_only else _public_policy
CONTENT_SECURITY_POLICY_REPORT_ONLY = _public_policy if _csp_report_only else None
# Ad networks whose slots placements may show, with every origin each one's tag loads
# from (its script, its ad images, the frames ads render in, where it reports back).
# AD_NETWORK names the one in use: off by default. Turning it on adds exactly that
# network's origins to the public pages' policy (core.csp), and nothing else.
AD_NETWORKS = {
    "adsense": {
        "script": "https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client={client}",
        "sources": {
            "script-src": ["https://pagead2.googlesyndication.com", "https://tpc.googlesyndication.com"],
            "img-src": ["https://pagead2.googlesyndication.com", "https://tpc.googlesyndication.com",
                        "https://googleads.g.doubleclick.net"],
            "frame-src": ["https://googleads.g.doubleclick.net", "https://tpc.googlesyndication.com"],
            "connect-src": ["https://pagead2.googlesyndication.com"],
        },
    },
}
AD_NETWORK = os.environ.get("AD_NETWORK", "")
AD_NETWORK_CLIENT = os.environ.get("AD_NETWORK_CLIENT", "")  # the publisher id it gave you
if AD_NETWORK and (AD_NETWORK not in AD_NETWORKS or not AD_NETWORK_CLIENT):
    raise ImproperlyConfigured(
        f"AD_NETWORK must be one of {', '.join(AD_NETWORKS)}, with AD_NETWORK_CLIENT set to your publisher id."
    )
# The admin's policy, in the same mode: no inline code either. The digest preview's email
# has its own (newsletter.admin), and the add, change and version pages of these models,
# which show the rich-text editor, also allow style attributes, which CKEditor 5 writes
# (core.csp). A model given the editor goes here; tests/core/test_csp.py checks the list.
CONTENT_SECURITY_POLICY_ADMIN_EDITOR_MODELS = ["articles.article", "authors.author", "flatpages.flatpage"]
CONTENT_SECURITY_POLICY_ADMIN = {"DIRECTIVES": {
    "default-src": ["'self'"], "img-src": [*_img_src, "blob:"], "style-src": ["'self'"],
    "script-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'self'"], "form-action": ["'self'"],
    "frame-ancestors": ["'self'"], **_reporting,
}}
# Browser features no page of ours uses, turned off for them and anything they embed.
PERMISSIONS_POLICY = {feature: [] for feature in (
    "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope", "hid",
    "magnetometer", "microphone", "midi", "payment", "serial", "usb",
)}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Email and background tasks ---------------------------------------------------

# With EMAIL_HOST set, mail goes to that SMTP server; without it, each message is
# written as a file under var/mail/ so a newcomer can read it.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_FILE_PATH = VAR_DIR / "mail"
# EMAIL_BACKEND may name another backend, e.g. anymail.backends.postmark.EmailBackend
# (its keys come from ANYMAIL_* below).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
# django-anymail: every ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"]. With
# ANYMAIL_WEBHOOK_SECRET ("user:password") set, /anymail/<esp>/tracking/ takes the
# provider's bounce and complaint events (basic auth), and those addresses stop.
ANYMAIL = {k.removeprefix("ANYMAIL_"): v for k, v in os.environ.items() if k.startswith("ANYMAIL_")}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "WiseGeek <news@localhost>")
# Date headers in TIME_ZONE ("+0100"), as readers' mail programs show them, rather than
# UTC written as "-0000", which says the sender's zone is unknown.
EMAIL_USE_LOCALTIME = True
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Work that must not hold up a web request (email above all) runs as a task:
# `manage.py task_worker` runs them from the database queue, through database outages.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# /healthz answers 503 when a queued task has been ready longer than this (seconds; 0: off).
HEALTH_MAX_TASK_WAIT = env_int("HEALTH_MAX_TASK_WAIT", 300)

# --- Logging ----------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- The publication --------------------------------------------------------------

SITE_NAME = os.environ.get("SITE_NAME", "WiseGeek")
SITE_FOUNDED = env_int("SITE_FOUNDED", 2003)
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10)
HOME_ARTICLES_PER_CATEGORY = env_int("HOME_ARTICLES_PER_CATEGORY", 3)

# --- Discussion comments ---------------------------------------------------------

COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 365)  # 0: never
# A reviewed article falls due for review again this long after its last review.
REVIEW_INTERVAL_DAYS = env_int("REVIEW_INTERVAL_DAYS", 365)
# How long a "Share preview" link shows an unpublished article to someone not signed in.
PREVIEW_LINK_MAX_AGE_DAYS = env_int("PREVIEW_LINK_MAX_AGE_DAYS", 7)
COMMENT_MAX_LENGTH = env_int("COMMENT_MAX_LENGTH", 4000)
COMMENT_MAX_LINKS = env_int("COMMENT_MAX_LINKS", 2)
# A form submitted sooner than this after it was shown is a robot's.
COMMENT_MIN_SECONDS = env_int("COMMENT_MIN_SECONDS", 3)
COMMENT_FORM_MAX_AGE = env_int("COMMENT_FORM_MAX_AGE", 2 * 24 * 3600)
# At most COMMENT_RATE_LIMIT comments from one IP address per COMMENT_RATE_WINDOW seconds.
COMMENT_RATE_LIMIT = env_int("COMMENT_RATE_LIMIT", 5)
COMMENT_RATE_WINDOW = env_int("COMMENT_RATE_WINDOW", 600)
# A comment signed with an address editors trust waits until its writer follows the link
# emailed to that address (seconds the link works; links per address per day).
COMMENT_PUBLISH_LINK_MAX_AGE = env_int("COMMENT_PUBLISH_LINK_MAX_AGE", 2 * 24 * 3600)
COMMENT_PUBLISH_LINKS_PER_DAY = env_int("COMMENT_PUBLISH_LINKS_PER_DAY", 3)
# Who is told by email about comments waiting for moderation.
COMMENT_NOTIFY_EMAILS = env_list("COMMENT_NOTIFY_EMAILS")

# --- Newsletter -------------------------------------------------------------------

# Bump when the consent line on the signup form changes; each subscriber's consent
# record keeps the version they agreed to.
NEWSLETTER_CONSENT_VERSION = os.environ.get("NEWSLETTER_CONSENT_VERSION", "2026-11")
NEWSLETTER_CONFIRM_MAX_AGE = env_int("NEWSLETTER_CONFIRM_MAX_AGE", 7 * 24 * 3600)
NEWSLETTER_SIGNUP_RATE_LIMIT = env_int("NEWSLETTER_SIGNUP_RATE_LIMIT", 10)  # per IP per hour
NEWSLETTER_EMAIL_RATE_LIMIT = env_int("NEWSLETTER_EMAIL_RATE_LIMIT", 3)  # mails per address per day
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 500)
# The address List-Unsubscribe's mailto points at.
NEWSLETTER_UNSUBSCRIBE_MAILTO = os.environ.get("NEWSLETTER_UNSUBSCRIBE_MAILTO", "unsubscribe@localhost")

# --- Rich-text editor (CKEditor 5) ------------------------------------------------

CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "articles:editor_upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp"]
CKEDITOR_5_CONFIGS = {
    "default": {
        "toolbar": {
            "items": [
                "heading", "|", "bold", "italic", "link", "|",
                "bulletedList", "numberedList", "blockQuote", "insertTable", "|",
                "imageUpload", "|", "undo", "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "Heading 2", "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "Heading 3", "class": "ck-heading_heading3"},
                {"model": "heading4", "view": "h4", "title": "Heading 4", "class": "ck-heading_heading4"},
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "|", "imageStyle:alignLeft",
                        "imageStyle:alignRight", "imageStyle:alignCenter"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "link": {"defaultProtocol": "https://"},
        # No resize handles on images: the width they set is a style attribute, which the
        # sanitizer does not keep (images fill the column, in renditions that fit it), so
        # a resize would be undone on saving.
        "removePlugins": ["ImageResize"],
    },
}
