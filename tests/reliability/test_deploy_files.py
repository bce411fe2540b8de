"""The deployment files agree with the code: deploy/portal.env.example names every setting read from the
environment and loads in production once its secrets are filled in; each Procfile line is what its systemd
unit runs. (tests/reliability/test_production_smoke.py starts them.)"""

import os
import re
import secrets
import shlex
import subprocess
import sys

from tests.core.test_celery import ROOT

SETTINGS_FILES = [ROOT / "config" / "settings" / name for name in ("base.py", "production.py", "scale_out.py")]
ENV_TEMPLATE = ROOT / "deploy" / "portal.env.example"


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if re.match(r"^[a-z]+:", line))


# --- The env file template ---------------------------------------------------------------------------------

READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
NAMED = re.compile(r"^#?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_the_env_template_names_every_setting_read_from_the_environment():
    read = {name for path in SETTINGS_FILES for name in READ.findall(path.read_text())}
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (ROOT / "core" / "backup.py").read_text()))
    assert len(read) > 40  # the parser found them
    named = set(NAMED.findall(ENV_TEMPLATE.read_text()))
    assert sorted(read - named) == []
    # The deployment's own knobs are named too.
    gunicorn = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (ROOT / "deploy" / "gunicorn.conf.py").read_text()))
    assert sorted(gunicorn - named) == []


def test_every_procfile_line_is_a_command_the_systemd_units_run_too():
    units = {
        name: (ROOT / "deploy" / "systemd" / f"portal-{name}.service").read_text() for name in ("web", "worker", "beat")
    }
    for name, command in procfile().items():
        program, *arguments = shlex.split(command)
        execstart = (
            re.search(r"^ExecStart=((?:[^\n]*\\\n)*[^\n]*)", units[name], re.MULTILINE).group(1).replace("\\\n", " ")
        )
        assert f"/.venv/bin/{program} " in execstart
        for argument in arguments:
            assert argument in execstart, (name, argument)


def _template_values() -> dict[str, str]:
    """The template's set lines as systemd's EnvironmentFile reads them (surrounding double quotes removed)."""
    lines = re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", ENV_TEMPLATE.read_text(), re.MULTILINE)
    return {name: value.strip().removeprefix('"').removesuffix('"') for name, value in lines}


def test_the_env_template_loads_in_production_once_its_secrets_are_filled_in():
    script = "import django; django.setup(); from django.conf import settings as s; print(s.ADMINS, s.EMAIL_HOST, s.TRUSTED_PROXIES)"
    base = {"PATH": os.environ["PATH"], **_template_values()}
    refused = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=base, capture_output=True, text=True)
    assert refused.returncode != 0 and "TRACKING_CODE_KEY" in refused.stderr  # the placeholder is too short
    filled = {**base, "SECRET_KEY": secrets.token_urlsafe(50), "TRACKING_CODE_KEY": secrets.token_urlsafe(48)}
    loaded = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=filled, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.split() == ["[('信息中心值班',", "'ops@example.gov.cn')]", "mail.example.gov.cn", "1"]
