"""tt-metal helpers: find a demo under TT_METAL_HOME and run it with stdin closed, its output in our logs."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile
import time


def metal_home(run) -> str:
    home = os.environ.get("TT_METAL_HOME")
    if not home:
        run.skip("TT_METAL_HOME is not set: no tt-metal checkout to run", ["TT_METAL_HOME"])
    if not os.path.isdir(home):
        run.skip(f"TT_METAL_HOME={home} does not exist", ["TT_METAL_HOME"])
    return home


def require_tt_target(run) -> None:
    if run.target != "tt":
        run.skip(f"tt-metal computes only on Tenstorrent hardware; this run's target is {run.target}")


def find_first(home: str, candidates: list[str]) -> str | None:
    """The first candidate (relative to TT_METAL_HOME, globs allowed) that exists in this checkout."""
    for pattern in candidates:
        hits = sorted(glob.glob(os.path.join(home, pattern)))
        if hits:
            return hits[0]
    return None


def _junit_counts(path: str) -> dict[str, int]:
    import xml.etree.ElementTree as ET

    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    root = ET.parse(path).getroot()
    for suite in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
        for key in counts:
            counts[key] += int(suite.get(key, 0))
    return counts


def run_pytest(run, home: str, test: str, k: str | None = None, env: dict[str, str] | None = None,
               stdin_file: str | None = None, timeout: float | None = None) -> float:
    """Run a tt-metal pytest demo in the probe's output folder. Raises on failure; a demo whose tests all
    skipped is a skip, never a pass. Returns seconds."""
    junit = os.path.join(tempfile.mkdtemp(), "junit.xml")
    cmd = [sys.executable, "-m", "pytest", "-svv", "-rs", "-p", "no:cacheprovider", f"--junitxml={junit}", test]
    cmd += ["-k", k] if k else []
    run.detail("command", " ".join(cmd))
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (home, full_env.get("PYTHONPATH")) if p)
    start = time.perf_counter()
    stdin = open(stdin_file, "rb") if stdin_file else subprocess.DEVNULL
    try:
        proc = subprocess.run(cmd, cwd=run.output_dir, env=full_env, stdin=stdin, timeout=timeout)
    finally:
        if stdin_file:
            stdin.close()
    elapsed = time.perf_counter() - start
    name = os.path.relpath(test, home)
    counts = _junit_counts(junit) if os.path.exists(junit) else None
    if proc.returncode == 5 or (counts and counts["tests"] == 0):
        run.skip(f"tt-metal demo {name} collected no test" + (f" for -k '{k}'" if k else ""))
    if proc.returncode != 0:
        raise RuntimeError(f"tt-metal demo {name} exited with {proc.returncode}")
    if counts and counts["tests"] == counts["skipped"]:
        run.skip(f"tt-metal demo {name}: all {counts['tests']} test(s) skipped (reasons in the log)")
    return elapsed


def demo_probe(probe_id: str, what: str, candidates: list[str]) -> None:
    """A probe that passes when one of tt-metal's own demos for a workload passes on the device."""
    from .run import ProbeRun

    with ProbeRun(probe_id) as run:
        run.require("ttnn")
        home = metal_home(run)
        require_tt_target(run)
        run.versions_of("ttnn")
        demo = find_first(home, candidates)
        if not demo:
            run.skip(f"no {what} demo in {home} (looked for {', '.join(candidates)})")
        run.detail("demo", os.path.relpath(demo, home))
        run.stage("setup")
        with run.timer("execute"):
            run_pytest(run, home, demo)
        run.placement("tt", f"tt-metal mesh {os.environ.get('MESH_DEVICE', 'default')}")
        run.passed(f"{os.path.relpath(demo, home)} passed on the device")
