"""Production settings pass `manage.py check --deploy` with no warning when HTTPS=1 (with a
real SECRET_KEY and ALLOWED_HOSTS, as production sets them), and the check does warn
without HTTPS, so this test can fail."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_LEFT_OUT = {"DEBUG", "HTTPS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD", "BEHIND_PROXY",
             "TRUSTED_PROXY_COUNT", "ALLOWED_HOSTS", "SITE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "VAR_DIR"}


def deploy_check(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in _LEFT_OUT},
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "www.example.com",
        "SITE_URL": "https://www.example.com", "VAR_DIR": str(tmp_path), **env,
    }
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)


def test_production_settings_pass_the_deploy_check_with_no_warning(tmp_path):
    result = deploy_check(tmp_path, HTTPS="1", BEHIND_PROXY="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout and "?:" not in result.stderr


def test_without_https_the_deploy_check_warns(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr, result.stderr
