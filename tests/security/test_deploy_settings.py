"""Production settings, all from the environment, pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PRODUCTION = {
    "MSM_DEBUG": "false",
    "MSM_SECRET_KEY": "k3P9w-2vLq8Zr5Tn0Ya7Xe4Uc1Hb6Jd9Mf2Gs5Ri8Ow3Ek7Vp0Nl4Qt1Ay6Bz9Cx2",
    "MSM_ALLOWED_HOSTS": "members.example.org",
    "MSM_HTTPS": "true",
}


def deploy_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MSM_")}
    clean.update(DJANGO_SETTINGS_MODULE="membersuccess.config.settings", MSM_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_laptop_install_without_https_is_reported_by_the_deployment_checks(tmp_path):
    result = deploy_check(tmp_path, **{**PRODUCTION, "MSM_HTTPS": "false"})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr


def test_a_bad_number_in_the_environment_is_named(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION, MSM_HSTS_SECONDS="a year")
    assert result.returncode != 0
    assert "MSM_HSTS_SECONDS must be a whole number, not 'a year'" in result.stderr


def test_a_malformed_proxy_header_is_named(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION, MSM_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode != 0
    assert "MSM_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https'" in result.stderr
