"""Run one test of a tt-metal demo as tt-metal's own docs do: pytest from TT_METAL_HOME, by node id.

The demo's working directory is TT_METAL_HOME because demos open inputs by paths relative to the
repository root. What it writes goes to the probe's output folder: pytest's temporary folders
(--basetemp) and, through ttprobe_probe.metal_plugin, the images it saves (a fresh folder per attempt).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PLUGIN = "ttprobe_probe.metal_plugin"


def _env(home: str, report: str, extra: dict[str, str] | None = None, frames: str | None = None) -> dict[str, str]:
    env = {**os.environ, **(extra or {}), "TTPROBE_METAL_REPORT": report}
    env.pop("TTPROBE_METAL_FRAMES", None)
    if frames:
        env["TTPROBE_METAL_FRAMES"] = frames
    lib = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (home, lib, env.get("PYTHONPATH")) if p)
    return env


def collect(run, home: str, path: str, env: dict[str, str] | None = None) -> list[dict]:
    """Every test pytest collects from `path`, with its parameters and skip marks (see metal_plugin)."""
    report = os.path.join(tempfile.mkdtemp(prefix="collect-"), "collected.json")
    cmd = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", PLUGIN, path]
    proc = subprocess.run(cmd, cwd=home, env=_env(home, report, env), stdin=subprocess.DEVNULL)
    if proc.returncode not in (0, 5) or not os.path.exists(report):
        raise RuntimeError(f"collecting tt-metal demo {path} failed (pytest exit {proc.returncode})")
    with open(report, encoding="utf-8") as handle:
        return json.load(handle)["collected"]


def _junit(path: str) -> tuple[dict[str, int], list[str]]:
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    root = ET.parse(path).getroot()
    for suite in [root] if root.tag == "testsuite" else root.iter("testsuite"):
        for key in counts:
            counts[key] += int(suite.get(key, 0))
    reasons = [s.get("message", "") for s in root.iter("skipped")]
    return counts, reasons


def run_test(run, home: str, nodeid: str, env: dict[str, str] | None = None, stdin_file: str | None = None,
             frames: str | None = None) -> dict:
    """Run one test by node id. Raises on failure; a test that skipped is a skip, never a pass.
    Returns the plugin's report: tensors read back (with their devices) and images saved."""
    work = tempfile.mkdtemp(prefix="pytest-", dir=run.output_dir)
    report, junit = os.path.join(work, "ttprobe-metal.json"), os.path.join(work, "junit.xml")
    cmd = [sys.executable, "-m", "pytest", "-svv", "-rs", "-p", "no:cacheprovider", "-p", PLUGIN,
           f"--junitxml={junit}", f"--basetemp={os.path.join(work, 'tmp')}", nodeid]
    run.detail("command", f"cd {home} && " + " ".join(cmd))
    stdin = open(stdin_file, "rb") if stdin_file else subprocess.DEVNULL
    try:
        proc = subprocess.run(cmd, cwd=home, env=_env(home, report, env, frames), stdin=stdin)
    finally:
        if stdin_file:
            stdin.close()
    counts, reasons = _junit(junit) if os.path.exists(junit) else (None, [])
    if proc.returncode == 5 or (counts and counts["tests"] == 0):
        run.skip(f"tt-metal test {nodeid} was not collected")
    if proc.returncode != 0:
        raise RuntimeError(f"tt-metal test {nodeid} exited with {proc.returncode}")
    if counts and counts["tests"] == counts["skipped"]:
        run.skip(f"tt-metal test {nodeid} skipped: {'; '.join(r for r in reasons if r) or 'no reason given'}")
    if not os.path.exists(report):
        raise RuntimeError(f"tt-metal test {nodeid} passed but ttprobe's pytest plugin wrote no report")
    with open(report, encoding="utf-8") as handle:
        return json.load(handle)


def record_placement(run, report: dict, nodeid: str) -> None:
    """Where the output lived, read from the tensors the test read back; never assumed from the request.
    A test that read nothing back from a device is recorded on the host (the harness then says
    cpu-fallback); one that read back no ttnn tensor at all cannot say, and is not a pass."""
    counts = report.get("readbacks", {})
    run.detail("readbacks", counts)
    run.detail("watched", report.get("hooks", []))
    if report.get("missingHooks"):
        # The ttnn in use lacks names the plugin reads: say so, so "no read-back" is not taken at its word.
        run.detail("missingHooks", report["missingHooks"])
    last = report.get("lastDevice")
    if last:
        run.placement("tt", last["device"])
        run.devices_seen([last["device"]])
        return
    if counts.get("host"):
        run.placement("cpu", f"host: the test read back {counts['host']} ttnn tensor(s), none of them from a device")
        return
    missing = report.get("missingHooks") or []
    raise RuntimeError(f"tt-metal test {nodeid} passed but read no ttnn tensor back to the host "
                       f"(watched {', '.join(report.get('hooks', [])) or 'nothing'}"
                       + (f"; this ttnn lacks {', '.join(missing)}" if missing else "")
                       + "): where its output lived is unknown")
