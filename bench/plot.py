"""Scaling plot: N policies -> wall time and peak memory, from the JSON that bench/run.py writes.

    python bench/plot.py /tmp/bench-a.json /tmp/bench-b.json -o docs/performance-scaling.png

Several files (separate runs, e.g. one with the baseline up to 10 000 and one
at 100 000) are drawn together, one line per kind of run. Needs matplotlib
(the project's test extra installs it). Also prints the time per policy
between the smallest and largest N of each kind of run: the slope the
linearity target asks for (from N = 1 000 unless --slope-from says otherwise).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _kind(run: str) -> str:
    """'rsf validate --engine pyrudof --jobs 2' -> 'rsf validate --engine pyrudof' (one line per engine)."""
    return run.split(" --jobs")[0]


def load(paths: list[Path]) -> dict[str, list[tuple[int, float, float]]]:
    """kind of run -> sorted (N, wall s, peak RSS MiB); a later file's measurement of the same N wins."""
    series: dict[str, dict[int, tuple[float, float]]] = {}
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8"))["validation"]:
            series.setdefault(_kind(row["run"]), {})[row["n"]] = (row["wall"], row["rss_mib"])
    return {kind: sorted((n, w, r) for n, (w, r) in points.items()) for kind, points in sorted(series.items())}


def slopes(series: dict[str, list[tuple[int, float, float]]], start: int) -> list[str]:
    """Milliseconds per policy from the first N >= ``start`` to the largest N, per kind of run."""
    lines = []
    for kind, points in series.items():
        points = [p for p in points if p[0] >= start]
        if len(points) > 1:
            (n0, w0, _), (n1, w1, _) = points[0], points[-1]
            lines.append(f"{kind}: {1000 * (w1 - w0) / (n1 - n0):.2f} ms per policy from N = {n0} to {n1}")
    return lines


def plot(series: dict[str, list[tuple[int, float, float]]], output: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(11, 4.2))
    for kind, points in series.items():
        ns = [p[0] for p in points]
        time_axis.plot(ns, [p[1] for p in points], marker="o", label=kind)
        memory_axis.plot(ns, [p[2] for p in points], marker="o", label=kind)
    for axis, title, unit in ((time_axis, "Wall time", "seconds"), (memory_axis, "Peak RSS (largest process)", "MiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("policies (N)")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
    memory_axis.axhline(1024, color="grey", linestyle="--", linewidth=1)
    memory_axis.annotate("1 GiB", (memory_axis.get_xlim()[0], 1024), textcoords="offset points", xytext=(4, 4), color="grey")
    time_axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(output, dpi=110, metadata={"Software": None})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", type=Path, help="JSON files written by bench/run.py --json")
    parser.add_argument("-o", "--output", type=Path, required=True, help="PNG to write")
    parser.add_argument("--slope-from", type=int, default=1000, help="smallest N of the slope (default: %(default)s)")
    args = parser.parse_args()
    for path in args.results:
        if not path.is_file():
            print(f"{path}: no such file (write it with bench/run.py --json {path})", file=sys.stderr)
            return 2
    series = load(args.results)
    if not series:
        print("no validation measurements in " + ", ".join(map(str, args.results)), file=sys.stderr)
        return 2
    plot(series, args.output)
    for line in slopes(series, args.slope_from):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
