"""ttnn op coverage: one op per family, each in its own process (a crash or hang costs one op only).

The tt-metal counterpart of TT-XLA's op-coverage. Per op, `opResults` holds the family, the op tried,
a status (compiled / pass / fail / crash / timeout / skip), its seconds, its own log (stdout+stderr,
relative to the output folder) and the message it ended with (the exception's last line, as ttnn
raised it). $TTPROBE_OP_FAMILIES (comma-separated) limits the families run.
"""

import json
import os
import subprocess
import sys
import time

from ttprobe_probe import ProbeRun
from ttprobe_probe.metal import require_tt_target
from ttprobe_probe.metal_toolchain import record_toolchain

FAMILIES = ["matmul", "linear", "conv2d", "max_pool2d", "avg_pool2d", "softmax", "layer_norm", "rms_norm", "gelu",
            "embedding", "concat", "reshape", "permute", "slice", "typecast"]
OPS = {f: f"ttnn.{f}" for f in FAMILIES} | {"typecast": "ttnn.typecast(bfloat8_b)"}
PER_OP_TIMEOUT = int(os.environ.get("TTPROBE_OP_TIMEOUT", "300"))


def last_message(text: str) -> str | None:
    """The line a person reads first: the exception line of the traceback, else the last non-empty line."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for line in reversed(lines):
        if line.startswith(("RuntimeError", "TypeError", "ValueError", "AttributeError", "Exception", "AssertionError")):
            return line[:500]
    return lines[-1][:500] if lines else None


def run_one(run, family: str) -> dict:
    log = os.path.join("ops", f"{family}.log")
    os.makedirs(os.path.join(run.output_dir, "ops"), exist_ok=True)
    start = time.perf_counter()
    entry = {"family": family, "op": OPS[family], "log": log, "message": None}
    with open(os.path.join(run.output_dir, log), "w", encoding="utf-8") as handle:
        try:
            proc = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "ops.py"), family],
                                  stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=PER_OP_TIMEOUT)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = None
    entry["seconds"] = round(time.perf_counter() - start, 2)
    text = open(os.path.join(run.output_dir, log), encoding="utf-8", errors="replace").read()
    result = next((json.loads(l[9:]) for l in reversed(text.splitlines()) if l.startswith("OPRESULT ")), None)
    skipped = next((l[7:] for l in text.splitlines() if l.startswith("OPSKIP ")), None)
    if code == 3 and skipped:
        entry.update(status="skip", message=skipped)
    elif code is None:
        entry.update(status="timeout", message=f"no result after {PER_OP_TIMEOUT} s")
    elif code < 0:
        entry.update(status="crash", message=f"killed by signal {-code}: {last_message(text) or ''}".strip())
    elif code == 0 and result:
        entry.update(status=result["status"], op=result["op"],
                     message=f"output on {result['storage']}" + (f", pcc={result['pcc']:.4f}" if "pcc" in result else ""))
        entry["_placed"] = (result["storage"], result.get("device"))
    else:
        entry.update(status="fail", message=last_message(text) or f"exited with {code}")
    return entry


def record_placement(run, placed: list) -> None:
    """Where the outputs lived, read from the ops' own tensors: on the device if any op's output was there."""
    on_device = [device for storage, device in filter(None, placed) if storage == "device" and device]
    on_host = [device for storage, device in filter(None, placed) if storage == "host"]
    if on_device:
        run.placement("tt", on_device[0])
        run.devices_seen(sorted(set(on_device)))
    elif on_host:
        run.placement("cpu", on_host[0] or "host")


with ProbeRun("ttmetal-op-coverage") as run:
    run.require("ttnn", "torch")
    require_tt_target(run)
    run.versions_of("ttnn", "torch")
    record_toolchain(run)
    wanted = [f.strip() for f in os.environ.get("TTPROBE_OP_FAMILIES", "").split(",") if f.strip()] or FAMILIES
    unknown = [f for f in wanted if f not in FAMILIES]
    if unknown:
        raise ValueError(f"TTPROBE_OP_FAMILIES names unknown families: {', '.join(unknown)} (known: {', '.join(FAMILIES)})")
    run.stage("compile")
    results = [run_one(run, f) for f in wanted]
    record_placement(run, [r.pop("_placed", None) for r in results])
    run.op_results(results)
    counts = {s: sum(1 for r in results if r["status"] == s) for s in sorted({r["status"] for r in results})}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    mock = os.environ.get("TTPROBE_MOCK") or os.environ.get("TT_METAL_MOCK_CLUSTER_DESC_PATH")
    if mock:
        # Coverage is the finding: the probe itself compiled what it could, whatever each op did.
        run.compiled(f"{len(results)} ttnn op families on a mock system: {summary}")
    if any(r["status"] != "pass" for r in results):
        raise AssertionError(f"ttnn op coverage: {summary}")
    run.passed(f"{len(results)} ttnn op families: {summary}")
