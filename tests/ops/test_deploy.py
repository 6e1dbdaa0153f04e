"""deploy/: the nginx site passes Debian's `nginx -t` and matches the portal's own settings;
the systemd units run what the README says; .env.example lists every variable read."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SITE = BASE / "deploy" / "nginx" / "hoabinh.conf"
UNITS = BASE / "deploy" / "systemd"


def nginx_testable_site(tmp_path: Path) -> Path:
    """The site with its certificate and log paths pointed into `tmp_path`, inside a minimal
    nginx.conf (Debian's own mime.types) as sites-enabled would be."""
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "2", "-subj", "/CN=thuvien.hoabinh.gov.vn",
            "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem"),
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    site = SITE.read_text()
    site = site.replace("/etc/letsencrypt/live/thuvien.hoabinh.gov.vn/", f"{tmp_path}/")
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    return conf


def test_nginx_accepts_the_site(tmp_path):
    if not shutil.which("nginx") or not shutil.which("openssl"):
        pytest.skip("nginx or openssl is not installed here; CI installs Debian's nginx")
    conf = nginx_testable_site(tmp_path)
    result = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
    # And it does fail on a broken site: the check is real.
    (tmp_path / "site.conf").write_text((tmp_path / "site.conf").read_text().replace("proxy_pass", "proxy_passs"))
    broken = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert broken.returncode != 0 and "proxy_passs" in broken.stderr


def test_the_site_matches_the_portals_own_limits_and_private_files():
    site = SITE.read_text()
    size = re.search(r"client_max_body_size (\d+)m;", site)
    assert size and int(size.group(1)) * 1024 * 1024 == settings.MAX_UPLOAD_SIZE
    assert "location /_private/ { internal; alias /srv/hoabinh/var/media/; }" in site
    assert "return 301 https://$host$request_uri;" in site
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert 'add_header Cache-Control "public, max-age=31536000, immutable";' in site
    # Where the units put var/: static and media as the site serves them.
    env_var_dir = "/srv/hoabinh/var"
    assert f"alias {env_var_dir}/static/;" in site
    for unit in UNITS.glob("*.service"):
        assert f"ReadWritePaths={env_var_dir}" in unit.read_text(), unit.name


def test_the_units_run_gunicorn_one_worker_kind_and_one_beat():
    web = (UNITS / "hoabinh-web.service").read_text()
    worker = (UNITS / "hoabinh-worker.service").read_text()
    beat = (UNITS / "hoabinh-beat.service").read_text()
    assert "gunicorn --config deploy/gunicorn.conf.py" in web
    assert "manage.py check --deploy --fail-level WARNING" in web
    assert "celery -A hoabinh_library worker" in worker
    assert "celery -A hoabinh_library beat" in beat
    for text in (web, worker, beat):
        assert "EnvironmentFile=/etc/hoabinh/portal.env" in text
        assert "User=hoabinh" in text and "Restart=" in text


def test_env_example_lists_every_variable_the_settings_read():
    read = set()
    for path in [*(BASE / "hoabinh_library").glob("*.py"), BASE / "deploy" / "gunicorn.conf.py"]:
        text = path.read_text()
        read |= set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', text))
        read |= set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z0-9_]+)"', text))
    read.discard("DJANGO_SETTINGS_MODULE")
    listed = set(re.findall(r"^([A-Z0-9_]+)=", (BASE / ".env.example").read_text(), re.M))
    assert len(read) > 30
    assert read <= listed, sorted(read - listed)


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-production-like-secret-with-enough-entropy-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "thuvien.hoabinh.gov.vn",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
