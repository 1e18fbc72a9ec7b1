"""Benchmark: rsf validate against a plain pySHACL run, and stored queries on rdflib vs pyoxigraph.

For each size N, on the same generated policies in the same run:

(a) baseline - what a user would do by hand: one ``pyshacl.validate`` over
    the merged graph of all policies plus the ontology and the DPV extract,
    with our policy shapes, no inference;
(b) ``rsf validate`` with full traces (JSON report), in batches and worker
    processes, with the chosen SHACL engine(s).

It prints wall time, policies per second, peak RSS and the ratio b/a, and
checks that (a) and (b) give the same set of (focus node, shape, severity)
for the obligations each policy's profile asks (the profile is read from the
JSON report); a speed-up with different results is flagged and exits 1.

Then it times every stored query on rdflib and pyoxigraph over the policies
and their reports (pyoxigraph: median of --repeat runs; rdflib: once per query).

    python bench/run.py --sizes 100,1000 --jobs 2 --engines pyshacl,pyrudof
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RSF = str(Path(sys.executable).with_name("rsf"))

_MEASURE = """
import resource, subprocess, sys, time, json
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss_mib": rss / 1024, "rc": done.returncode, "stderr": done.stderr.decode()[-2000:]}))
"""

_BASELINE = """
import json, sys, glob
from pathlib import Path
from rdflib import Graph
from pyshacl import validate
from responsible_sharing import load_ontology
from responsible_sharing.validate import engine
files = sorted(str(p) for p in Path(sys.argv[1]).rglob("*.ttl"))
data = Graph()
for f in files:
    data.parse(f)
for t in load_ontology().graph:
    data.add(t)
with open(sys.argv[3], "rb") as extract:
    data.parse(extract, format="turtle")
conforms, results, _ = validate(data, shacl_graph=engine().shapes, inference="none", allow_infos=True, allow_warnings=True)
SH = "http://www.w3.org/ns/shacl#"
from rdflib import URIRef
rows = sorted({(str(results.value(r, URIRef(SH + "focusNode"))), str(results.value(r, URIRef(SH + "sourceShape"))),
                str(results.value(r, URIRef(SH + "resultSeverity"))).rsplit("#", 1)[-1].lower())
               for r in results.objects(None, URIRef(SH + "result"))})
Path(sys.argv[2]).write_text(json.dumps(rows))
"""


def measure(command: list[str]) -> dict:
    """Wall time and peak RSS (largest process) of ``command``, run in a fresh interpreter."""
    out = subprocess.run([PYTHON, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["rc"] != 0 and result["rc"] != 1:
        raise SystemExit(f"command failed ({result['rc']}): {' '.join(command)}\n{result['stderr']}")
    return result


def generate(n: int, seed: int, workdir: Path) -> Path:
    target = workdir / f"policies-{n}-{seed}"
    if not (target / ".done").exists():
        subprocess.run([PYTHON, str(ROOT / "bench" / "generate.py"), "--n", str(n), "--seed", str(seed),
                        "--layout", "files", "--out", str(target)], check=True)
        (target / ".done").touch()
    return target


def ours_rows(report_path: Path) -> tuple[set, set]:
    """(focus, shape, severity) of rsf's findings, and (policy, shape) pairs its profiles ask for."""
    from responsible_sharing.validate import engine

    checks = engine().checks
    shapes_of: dict[str, list[str]] = {}
    for shape, obligation in checks.items():
        shapes_of.setdefault(obligation, []).append(shape)
    report = json.loads(report_path.read_text())
    rows = set()
    asked = set()
    for policy in report["policies"]:
        for obligation in policy["profile"]["applicable"]:
            for shape in shapes_of.get(obligation, []):
                asked.add((policy["policy"], shape))
        for f in policy["findings"]:
            rows.add((f["focus_node"], f["shape"], f["severity"]))
    return rows, asked


def bench_validation(n: int, args: argparse.Namespace, workdir: Path) -> list[dict]:
    folder = generate(n, args.seed, workdir)
    extract = ROOT / "ontology" / "external" / "dpv-subset.ttl"
    rows_out = []
    baseline_rows: set | None = None
    base = None
    if n <= args.baseline_max:
        base_file = workdir / f"baseline-{n}.json"
        base = measure([PYTHON, "-c", _BASELINE, str(folder), str(base_file), str(extract)])
        baseline_rows = {tuple(r) for r in json.loads(base_file.read_text())}
        rows_out.append({"n": n, "run": "baseline pySHACL (merged graph)", **base})
    for engine_name in args.engines.split(","):
        report = workdir / f"report-{n}-{engine_name}.json"
        ours = measure([RSF, "validate", str(folder), "--format", "json", "-o", str(report), "--quiet",
                        "--jobs", str(args.jobs), "--engine", engine_name, "--fail-on", "none"])
        row = {"n": n, "run": f"rsf validate --engine {engine_name} --jobs {args.jobs}", **ours}
        if base is not None and baseline_rows is not None:
            found, asked = ours_rows(report)
            expected = {r for r in baseline_rows if (r[0], r[1]) in asked}
            row["same_results"] = found == expected
            row["results"] = len(found)
            row["ratio"] = base["wall"] / ours["wall"]
        rows_out.append(row)
    return rows_out


def bench_queries(n: int, args: argparse.Namespace, workdir: Path) -> list[dict]:
    from rdflib import Graph

    from responsible_sharing.cli_query import bind_parameters, local_dataset
    from responsible_sharing.ontology import load_ontology
    from responsible_sharing.queries import stored_query, stored_query_names
    from responsible_sharing.sparql import OxigraphEngine, RdflibEngine

    folder = generate(n, args.seed, workdir)
    report = workdir / f"queries-report-{n}.ttl"
    if not report.exists():
        subprocess.run([RSF, "validate", str(folder), "--format", "turtle", "-o", str(report), "--quiet",
                        "--jobs", str(args.jobs), "--engine", "pyrudof", "--fail-on", "none"], check=True)
    data = local_dataset((report,))
    for path in sorted(folder.rglob("*.ttl")):
        data.parse(path)
    ontology = load_ontology().graph
    oxigraph = OxigraphEngine(data)
    rdflib_engine = RdflibEngine(data)
    out = []
    import shlex

    for name in stored_query_names():
        query = stored_query(name)
        words = shlex.split(query.header.get("example", ""))
        params = tuple(words[i + 1] for i, w in enumerate(words) if w == "--param")
        bindings = bind_parameters(query, params, ontology)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            oxigraph.query(query.text, bindings)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        rdflib_engine.query(query.text, bindings)
        rdflib_time = time.perf_counter() - start
        out.append({"query": name, "triples": len(data), "oxigraph_median_ms": 1000 * statistics.median(times),
                    "rdflib_ms": 1000 * rdflib_time})
    del Graph
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000", help="comma-separated numbers of policies (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--engines", default="pyshacl,pyrudof", help="SHACL engines for rsf validate")
    parser.add_argument("--baseline-max", type=int, default=10_000, help="skip the baseline above this size")
    parser.add_argument("--query-size", type=int, default=1000, help="policies for the query timings (0: skip)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query on pyoxigraph (median)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rsf-bench")
    parser.add_argument("--json", type=Path, help="also write all measurements here")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    validation = []
    for n in (int(x) for x in args.sizes.split(",") if x):
        validation += bench_validation(n, args, args.workdir)
    if validation:
        print("\n| N | run | wall s | policies/s | peak RSS MiB | ratio (baseline / this) | same results |")
        print("|---|---|---|---|---|---|---|")
    for r in validation:
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else ""
        same = {True: "yes", False: "NO"}.get(r.get("same_results"), "")
        print(f"| {r['n']} | {r['run']} | {r['wall']:.2f} | {r['n'] / r['wall']:.0f} | {r['rss_mib']:.0f} | {ratio} | {same} |")
    queries = bench_queries(args.query_size, args, args.workdir) if args.query_size else []
    if queries:
        print(f"\nStored queries over {args.query_size} policies and their reports ({queries[0]['triples']} triples):\n")
        print("| query | pyoxigraph median ms | rdflib ms |")
        print("|---|---|---|")
        for q in queries:
            print(f"| {q['query']} | {q['oxigraph_median_ms']:.1f} | {q['rdflib_ms']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps({"validation": validation, "queries": queries}, indent=2))
    return 1 if any(r.get("same_results") is False for r in validation) else 0


if __name__ == "__main__":
    sys.exit(main())
