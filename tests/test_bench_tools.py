"""bench/plot.py (the scaling plot and the slope the linearity target asks for) and bench/phases.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "plot.py"


def _row(n: int, run: str, wall: float, rss: float) -> dict:
    return {"n": n, "run": run, "wall": wall, "rss_mib": rss}


def test_plot_and_slopes_from_two_runs(tmp_path):
    first = tmp_path / "a.json"
    second = tmp_path / "b.json"
    first.write_text(json.dumps({"validation": [
        _row(100, "baseline pySHACL (merged graph)", 3.0, 100), _row(1000, "baseline pySHACL (merged graph)", 30.0, 400),
        _row(100, "rsf validate --engine pyrudof --jobs 2", 1.0, 150), _row(1000, "rsf validate --engine pyrudof --jobs 2", 4.0, 200),
    ], "queries": []}))
    second.write_text(json.dumps({"validation": [_row(11000, "rsf validate --engine pyrudof --jobs 2", 29.0, 300)], "queries": []}))
    png = tmp_path / "scaling.png"
    done = subprocess.run([sys.executable, str(SCRIPT), str(first), str(second), "-o", str(png)],
                          capture_output=True, text=True, check=True)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # pyrudof: (29 - 4) s over (11000 - 1000) policies = 2.5 ms; the baseline has one point from N = 1000
    assert done.stdout.splitlines() == ["rsf validate --engine pyrudof: 2.50 ms per policy from N = 1000 to 11000"]


def test_a_missing_results_file_is_named(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "none.json"), "-o", str(tmp_path / "x.png")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "none.json: no such file" in done.stderr


def test_phases_account_for_the_whole_run():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "phases.py"), str(ROOT / "examples"), "--engine", "pyshacl"],
                          capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    from responsible_sharing.validate import validate

    policies = len(validate([str(ROOT / "examples")]).policies)  # access tiers count one each
    assert lines[0].startswith("pyshacl: ") and f"for {policies} policies" in lines[0]
    rows = {line.split(" | ")[0].strip("| "): line for line in lines if line.startswith("| ") and "%" in line}
    assert set(rows) == {"read and parse", "profiles", "SHACL engine", "findings, traces, the rest", "JSON report (full traces)"}
    shares = [int(line.rsplit("|", 2)[1].strip().rstrip(" %")) for line in rows.values()]
    assert 97 <= sum(shares) <= 103  # rounded shares of one total
