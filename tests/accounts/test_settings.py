"""Each settings module imported in a fresh interpreter, as a server would: what every environment must hold."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "s" * 60,
    "DATABASE_URL": "postgres://portal:pw@db:5432/portal",
    "REDIS_URL": "redis://redis:6379/0",
    "ALLOWED_HOSTS": "qinglian.example.gov.cn",
    "TRACKING_CODE_KEY": "k" * 32,
}
PROBE = """
import importlib, json
s = importlib.import_module({module!r})
print(json.dumps({{"validators": [v["NAME"] for v in s.AUTH_PASSWORD_VALIDATORS]}}))
"""


def load(module: str, **env) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(module=f"config.settings.{module}")],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


REQUIRED_VALIDATORS = {
    "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    "django.contrib.auth.password_validation.CommonPasswordValidator",
    "django.contrib.auth.password_validation.MinimumLengthValidator",
    "accounts.validators.PasswordContainsIdentityValidator",
}


@pytest.mark.parametrize("module", ["base", "local", "test", "production"])
def test_every_settings_module_validates_passwords(module):
    result = load(module, **(PRODUCTION_ENV if module == "production" else {}))
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)["validators"]) >= REQUIRED_VALIDATORS
