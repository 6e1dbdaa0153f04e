"""What production installs (requirements.txt) holds no test, lint or browser package, and
both locks pin exactly what their .in files ask for."""

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
DEV_ONLY = {
    "pytest",
    "pytest-django",
    "ruff",
    "playwright",
    "axe-playwright-python",
    "factory-boy",
    "faker",
    "aiosmtpd",
    "zxing-cpp",
    "uv",
}


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        name, _, version = line.partition("==")
        found[re.sub(r"[-_.]+", "-", name.split(";")[0].split("[")[0]).lower().strip()] = version.split(";")[0].strip()
    return found


def test_production_requirements_hold_no_test_lint_or_browser_package():
    runtime = pins(BASE / "requirements.txt")
    assert "django" in runtime and "gunicorn" in runtime and "psycopg2-binary" in runtime
    assert not DEV_ONLY & set(runtime), DEV_ONLY & set(runtime)
    assert not any(name.startswith(("pytest", "playwright", "ruff")) for name in runtime)


def test_every_package_is_pinned_exactly_and_the_locks_match_their_sources():
    for source, lock in (("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")):
        wanted = pins(BASE / source)
        locked = pins(BASE / lock)
        assert wanted, source
        assert all(version for version in locked.values()), lock
        for name, version in wanted.items():
            assert locked.get(name) == version, (lock, name, version, locked.get(name))
    dev = pins(BASE / "requirements-dev.txt")
    assert set(dev) >= DEV_ONLY
    runtime = pins(BASE / "requirements.txt")
    # A package both files hold is pinned at one version (the dev lock is constrained by the runtime one).
    assert all(runtime[name] == dev[name] for name in set(runtime) & set(dev))
