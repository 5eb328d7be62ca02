"""Loaded as a pytest plugin (see pytest.ini) before Django reads its settings."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="wisegeek-tests-"))
_static_root = os.path.join(os.environ["VAR_DIR"], "static")
os.makedirs(_static_root, exist_ok=True)
os.environ.setdefault("STATIC_ROOT", _static_root)
