"""Running a script in `manage.py shell` in a process and a database of its own (migration tests)."""

import os
import subprocess
import sys
import uuid

from tests.support.paths import REPO


def run_in_shell(script, *, database_url, tmp_path, timeout=600):
    """Run `script` with the settings pointed at `database_url` and a file cache in `tmp_path`; its
    standard output. Fails the test, with the end of both outputs, when the script fails."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "socsec.settings",
            "DATABASE_URL": database_url,
            "SOCSEC_VAR_DIR": str(tmp_path),
            "CACHE_KEY_PREFIX": f"socsec-shell-{uuid.uuid4().hex[:8]}",
        }
    )
    env.pop("REDIS_URL", None)  # a file cache in tmp_path: nothing shared to clean up
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout
