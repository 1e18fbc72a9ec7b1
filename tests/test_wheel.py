"""The newcomer's path: build the wheel, install it into a fresh virtual
environment, and run `rsf ontology check` and `rsf docs` from a folder with no
checkout."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_runs_from_any_directory(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = dist.glob("responsible_sharing-*.whl")

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True, text=True, timeout=600,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check = subprocess.run(
        [str(env_dir / "bin" / "rsf"), "ontology", "check"],
        capture_output=True, text=True, cwd=elsewhere, timeout=600,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Reasoner (HermiT): consistent" in check.stdout
    assert str(env_dir) in check.stdout, "the shipped ontology inside the installed package is used"
    assert "clean" in check.stdout.splitlines()[-1]

    # the site's templates, style sheet and script are package data of the wheel
    docs = subprocess.run(
        [str(env_dir / "bin" / "rsf"), "docs", "-o", "site"], capture_output=True, text=True, cwd=elsewhere, timeout=600,
    )
    assert docs.returncode == 0, docs.stdout + docs.stderr
    assert {"index.html", "search.html", "search-index.js", "site.css", "site.js", "O-CE5-03.html"} <= {
        p.name for p in (elsewhere / "site").iterdir()}
