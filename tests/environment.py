"""Loaded as a pytest plugin (see pytest.ini) before Django reads its settings."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
# Tests never touch a developer's var/ (make exports VAR_DIR): each run gets its own.
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="wisegeek-tests-")
atexit.register(shutil.rmtree, os.environ["VAR_DIR"], ignore_errors=True)
os.environ["STATIC_ROOT"] = os.path.join(os.environ["VAR_DIR"], "static")
# Tests expect the settings' own default address, whatever the caller exported.
os.environ["SITE_URL"] = "http://localhost:8000"
os.makedirs(os.environ["STATIC_ROOT"])
os.environ.setdefault("ANYMAIL_WEBHOOK_SECRET", "tests:webhook-secret")
