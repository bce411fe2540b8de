import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_twice_leaves_the_same_rows():
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = {model._meta.label: model.objects.count() for model in apps.get_models()}
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    second = {model._meta.label: model.objects.count() for model in apps.get_models()}
    assert first == second
    assert first["parks.Park"] == 6
    assert first["parks.Enterprise"] >= 24
    # The five demo logins (admin, inspector, officer, enterprise, supervisor); the officials of the other
    # parks (conduct/demo.py) and their supervisors (supervision/demo.py) cannot log in.
    from accounts.models import User

    assert User.objects.exclude(password__startswith="!").count() == 5


@pytest.mark.django_db
def test_seed_demo_names_the_parks_of_the_article_and_prints_the_logins(capsys):
    from parks.models import Enterprise, Park

    call_command("seed_demo")
    names = set(Park.objects.values_list("name", flat=True))
    for expected in ("平顶山高新技术产业开发区", "平顶山尼龙新材料开发区", "郴州高新技术产业开发区", "郴州经济开发区"):
        assert expected in names
    assert Park.objects.filter(region="重庆市江北区").count() >= 1
    for enterprise in Enterprise.objects.all():
        enterprise.full_clean()  # every demo credit code is valid
    output = capsys.readouterr().out
    for username in ("admin", "inspector", "officer", "enterprise"):
        assert username in output


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # Exits non-zero (SystemExit) if a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "TRACKING_CODE_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "qinglian.example.gov.cn",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://portal@127.0.0.1:5432/portal"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TRACKING_CODE_KEY"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "TRACKING_CODE_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "qinglian.example.gov.cn",
        "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    env.pop(missing)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    named = {"DATABASE_URL": "PostgreSQL", "REDIS_URL": "Redis"}.get(missing, missing)
    assert named in result.stderr


def test_tests_run_on_postgresql(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_templates_and_assets_load_nothing_from_the_network():
    # An XML namespace names a vocabulary; nothing is ever fetched from it.
    namespaces = re.compile(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"')
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html"), *ROOT.glob("static/**/*")]:
        if not path.is_file() or "vendor" in path.relative_to(ROOT).parts:
            continue
        text = namespaces.sub("", path.read_bytes().decode("utf-8", "replace"))  # the icon is binary
        if "http://" in text or "https://" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_vendored_bootstrap_is_the_official_release_and_loads_nothing():
    """Bootstrap's release files, as published (static/vendor/bootstrap/, README "Dependencies"): their licence
    header and error texts name web addresses, but no stylesheet rule imports or points at one."""
    vendor = ROOT / "static" / "vendor" / "bootstrap"
    css = (vendor / "css" / "bootstrap.min.css").read_text()
    js = (vendor / "js" / "bootstrap.bundle.min.js").read_text()
    assert "The MIT License" in (vendor / "LICENSE").read_text()
    assert re.search(r"Bootstrap +v5\.3\.\d+ ", css) and re.search(r"Bootstrap v5\.3\.\d+ ", js)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", css)
    # The source maps the files name are there, or collectstatic's hashed-name pass stops on them.
    assert (vendor / "css" / "bootstrap.min.css.map").is_file() and (
        vendor / "js" / "bootstrap.bundle.min.js.map"
    ).is_file()


def _admin_models():
    from django.contrib import admin

    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.django_db
@pytest.mark.parametrize("model", _admin_models(), ids=lambda model: model._meta.label)
def test_every_model_has_a_working_admin_for_commission_admins(client, model):
    from django.urls import reverse

    from accounts.choices import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.COMMISSION_ADMIN))
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200


def _production_env(**overrides) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "TRACKING_CODE_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "qinglian.example.gov.cn",
        "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **overrides,
    }


@pytest.mark.parametrize("key", ["short-key", "k" * 31, "密钥" * 5])
def test_production_refuses_a_tracking_code_key_shorter_than_32_bytes(key):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(TRACKING_CODE_KEY=key),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "TRACKING_CODE_KEY" in result.stderr and "32" in result.stderr


@pytest.mark.parametrize("key", ["k" * 32, "密钥" * 6])
def test_production_accepts_a_tracking_code_key_of_32_bytes(key):
    script = "import config.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=_production_env(TRACKING_CODE_KEY=key), capture_output=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", ["base", "local", "test", "production"])
def test_every_settings_module_validates_passwords(module):
    required = {
        "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "django.contrib.auth.password_validation.MinimumLengthValidator",
        "django.contrib.auth.password_validation.CommonPasswordValidator",
        "accounts.validators.PasswordContainsIdentityValidator",
    }
    script = f"import json, config.settings.{module} as s; print(json.dumps([v['NAME'] for v in s.AUTH_PASSWORD_VALIDATORS]))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=_production_env(), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) >= required


def test_every_page_names_an_icon_that_exists(client, world):
    """Browsers ask for /favicon.ico when a page names no icon: a 404 in every log, every visit."""
    from django.contrib.staticfiles import finders
    from django.test import Client

    pages = [Client().get("/login/"), Client().get("/report/")]
    client.force_login(world["inspector"])
    pages.append(client.get("/"))
    for page in pages:
        assert page.status_code == 200
        assert 'rel="icon" href="/static/favicon.svg"' in page.content.decode()
    assert finders.find("favicon.svg")
