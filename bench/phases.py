"""Where the time of ``rsf validate`` goes: each phase timed, one process, no workers.

    python bench/phases.py /tmp/rsf-bench/policies-1000-7 --engine pyrudof

Prints a Markdown table: reading and parsing, profiles, the SHACL engine
(for pySHACL this includes building its rdflib graph), findings and traces,
and writing the JSON report with full traces (to memory). Wraps the
library's own functions, so it measures the code a user runs.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
import time
from collections import defaultdict
from collections.abc import Callable

from responsible_sharing.formats import jsonout

validation = importlib.import_module("responsible_sharing.validate")  # the module, not the function of that name
READ, PROFILES, ENGINE, REPORT = "read and parse", "profiles", "SHACL engine", "JSON report (full traces)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("policies", help="a folder of policy files (e.g. one written by bench/generate.py)")
    parser.add_argument("--engine", choices=sorted(validation.SHACL_ENGINES), default="pyshacl")
    args = parser.parse_args()
    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, function: Callable) -> Callable:
        def wrapper(*positional, **keywords):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*positional, **keywords)
            finally:
                spent[name] += time.perf_counter() - start
        return wrapper

    validation.read_policies = timed(READ, validation.read_policies)
    validation.build_profile = timed(PROFILES, validation.build_profile)
    for name in list(validation.SHACL_ENGINES):
        validation.SHACL_ENGINES[name] = timed(ENGINE, validation.SHACL_ENGINES[name])
    validation.engine()  # shapes and ontology are loaded once per process; not counted
    start = time.perf_counter()
    report = validation.validate([args.policies], jobs=1, shacl_engine=args.engine)
    validating = time.perf_counter() - start
    start = time.perf_counter()
    jsonout.write(report, io.BytesIO())
    spent[REPORT] = time.perf_counter() - start
    spent["findings, traces, the rest"] = validating - spent[READ] - spent[PROFILES] - spent[ENGINE]
    total = validating + spent[REPORT]
    print(f"{args.engine}: {total:.2f} s for {len(report.policies)} policies, {len(report.findings)} findings\n")
    print("| phase | s | share |\n|---|---|---|")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
