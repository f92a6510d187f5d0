"""What `make run` does on a fresh clone: the var/ folder does not exist yet."""

import os
import subprocess
import sys

from tests.support.paths import REPO


def test_migrate_creates_the_sqlite_file_in_a_missing_folder(tmp_path):
    var_dir = tmp_path / "not" / "there" / "yet"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["SOCSEC_VAR_DIR"] = str(var_dir)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (var_dir / "socsec.sqlite3").exists()
