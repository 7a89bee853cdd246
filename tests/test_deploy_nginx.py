"""deploy/nginx.conf.example comes up in the documented order on a fresh server."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
CONFIG = (DEPLOY / "nginx.conf.example").read_text()
MARKER = "# ==== HTTPS"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def bootstrap_part() -> str:
    """What step 1 installs: the file up to the HTTPS marker line."""
    return CONFIG[: CONFIG.index(MARKER)]


def test_step_one_serves_the_challenge_and_needs_no_certificate() -> None:
    assert CONFIG.count(MARKER) == 1
    first = bootstrap_part()
    assert "ssl_certificate" not in first and "listen 443" not in first
    assert "location /.well-known/acme-challenge/" in first and "/var/www/certbot" in first
    assert "ssl_certificate" in CONFIG[CONFIG.index(MARKER) :]


def test_the_renewal_hook_checks_the_config_then_reloads() -> None:
    hook = DEPLOY / "certbot-reload-nginx.sh"
    assert os.access(hook, os.X_OK)
    lines = [line for line in hook.read_text().splitlines() if not line.startswith("#")]
    assert lines[-2:] == ["nginx -t -q", "systemctl reload nginx"]


def nginx_test(tmp_path: Path, server_config: str) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` of ``server_config`` inside a minimal main configuration."""
    (tmp_path / "logs").mkdir(exist_ok=True)
    (tmp_path / "hipbot.conf").write_text(server_config)
    (tmp_path / "nginx.conf").write_text(
        f"error_log {tmp_path}/logs/error.log;\npid {tmp_path}/nginx.pid;\n"
        f"events {{}}\nhttp {{ include {tmp_path}/hipbot.conf; }}\n"
    )
    assert NGINX is not None
    return subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@needs_nginx
def test_nginx_accepts_step_one_and_then_the_whole_file(tmp_path: Path) -> None:
    live = tmp_path / "live"
    whole = CONFIG.replace("/etc/letsencrypt/live/bot.example.org", str(live))
    assert nginx_test(tmp_path, bootstrap_part()).returncode == 0
    assert nginx_test(tmp_path, whole).returncode != 0  # before the certificate: refused
    live.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=bot.example.org", "-keyout", str(live / "privkey.pem"),
         "-out", str(live / "fullchain.pem")],
        capture_output=True, check=True,
    )  # fmt: skip
    result = nginx_test(tmp_path, whole)
    assert result.returncode == 0, result.stderr
