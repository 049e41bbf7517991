"""Op coverage: one small program per StableHLO op family, each compiled (and, off a mock, run and
checked against the CPU) in a process of its own. The harness classifies each family's log."""

import json
import os
import subprocess
import sys
import time

from ttprobe_probe import ProbeRun

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from programs import PROGRAMS  # noqa: E402

# A family that takes longer than this is stuck, not slow: the next one still gets its turn.
OP_TIMEOUT_S = float(os.environ.get("TTPROBE_OP_TIMEOUT", "240"))


def chosen_programs():
    wanted = [f for f in os.environ.get("TTPROBE_OP_FAMILIES", "").split(",") if f]
    unknown = sorted(set(wanted) - {p.family for p in PROGRAMS})
    if unknown:
        raise ValueError(f"TTPROBE_OP_FAMILIES names unknown op families: {', '.join(unknown)}")
    return [p for p in PROGRAMS if not wanted or p.family in wanted]


def run_family(run, program, ops_dir):
    log_path = os.path.join(ops_dir, f"{program.family}.log")
    result_path = os.path.join(ops_dir, f"{program.family}.json")
    stage_path = os.path.join(ops_dir, f"{program.family}.stages")
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        try:
            proc = subprocess.run([sys.executable, os.path.join(HERE, "one_op.py"), program.family, result_path, stage_path],
                                  stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=ops_dir, timeout=OP_TIMEOUT_S)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = None
    seconds = round(time.perf_counter() - started, 3)
    found = _read_json(result_path)
    stages = _read_lines(stage_path)
    entry = {"family": program.family, "op": program.op, "seconds": seconds,
             "log": os.path.relpath(log_path, run.output_dir), "stage": stages[-1] if stages else None,
             "opsSeen": found.get("opsSeen", []), "placement": found.get("placement")}
    if code is None:
        entry.update(status="timeout", message=f"no result within {OP_TIMEOUT_S:g} s")
    elif code < 0:
        entry.update(status="crash", message=f"killed by signal {-code}")
    elif found.get("status") in ("compiled", "pass") and code == 0:
        entry.update(status=found["status"], message=found.get("message"))
    else:
        entry.update(status="fail", message=found.get("message") or f"exited with {code} and no result")
    return entry


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def _read_lines(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return [line.strip() for line in handle if line.strip()]
    except OSError:
        return []


with ProbeRun("op-coverage") as run:
    run.require("jax", "numpy")
    run.versions_of("jax", "jaxlib", "jax-tt-plugin", "pjrt-plugin-tt")
    programs = chosen_programs()
    ops_dir = os.path.join(run.output_dir, "ops")
    os.makedirs(ops_dir, exist_ok=True)
    mock = bool(os.environ.get("TTPROBE_MOCK"))
    goal = "compiled" if mock else "pass"
    run.stage("setup")
    run.stage("compile")

    results = []
    for i, program in enumerate(programs, 1):
        entry = run_family(run, program, ops_dir)
        results.append(entry)
        print(f"op-coverage [{i}/{len(programs)}] {program.family}: {entry['status']} ({entry['seconds']:.1f} s)"
              + (f" - {entry['message']}" if entry["status"] != goal and entry.get("message") else ""), flush=True)
    run.op_results(results)
    ok = [r for r in results if r["status"] == goal]
    run.metric("op_families", len(results))
    run.metric("op_families_ok", len(ok))
    placed = next((r["placement"] for r in ok if r.get("placement")), None)
    if placed:
        run.placement(placed["platform"], placed["device"])
        run.devices_seen([placed["device"]])
    failed = [r for r in results if r["status"] != goal]
    if failed:
        # Each failing family's own log goes to stderr too, so the probe's verdict is read from real
        # compiler messages, not from this summary.
        for r in failed:
            with open(os.path.join(run.output_dir, r["log"]), encoding="utf-8", errors="replace") as handle:
                sys.stderr.write(f"==== op family {r['family']} ({r['op']}): {r['status']}\n{handle.read()[-20000:]}\n")
        names = ", ".join(r["family"] for r in failed)
        raise RuntimeError(f"{len(failed)} of {len(results)} op families did not {'compile' if mock else 'run'}: {names}")
    run.passed(f"all {len(results)} op families {'compiled' if mock else 'ran and match the CPU'}")
