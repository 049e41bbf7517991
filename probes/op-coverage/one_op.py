"""Compile (and, off a mock, run and check) one op family's program on the target, in a process of its
own so that a crash or a poisoned compiler state cannot spoil the next family.

usage: one_op.py FAMILY RESULT_JSON STAGE_FILE
The result JSON says how far the program got; its output (stdout and stderr) is the log the harness
classifies. A failure exits non-zero and lets its traceback reach stderr."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

PLATFORMS = {"tt": ("tt",), "gpu": ("cuda", "rocm", "gpu"), "cpu": ("cpu",)}


def main(family: str, result_path: str, stage_path: str) -> int:
    state: dict = {"family": family, "stage": None, "opsSeen": [], "timings": {}}

    def stage(name: str) -> None:
        state["stage"] = name
        with open(stage_path, "a", encoding="utf-8") as handle:
            handle.write(name + "\n")

    def finish(status: str, message: str | None = None) -> int:
        state.update(status=status, message=message)
        with open(result_path + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(state, handle)
        os.replace(result_path + ".tmp", result_path)
        return 0 if status in ("compiled", "pass") else 1

    try:
        stage("import")
        import jax
        import numpy as np
        from programs import BY_FAMILY
        from ttprobe_probe.census import op_census

        program = BY_FAMILY[family]
        state["op"] = program.op
        target = os.environ.get("TTPROBE_TARGET", "cpu")
        mock = bool(os.environ.get("TTPROBE_MOCK"))
        device = _target_device(jax, target)
        stage("setup")
        fn, host_args = program.build()
        args = jax.device_put(host_args, device)

        stage("lower")
        lowered = jax.jit(fn).lower(*args)
        state["opsSeen"] = sorted(op_census(lowered.as_text()))
        stage("compile")
        started = time.perf_counter()
        compiled = lowered.compile()
        state["timings"]["compile_s"] = round(time.perf_counter() - started, 4)
        state["placement"] = {"platform": device.platform, "device": str(device)}
        if mock:
            # A mock system computes nothing: what it proves is that the real compiler took the program.
            return finish("compiled", f"{program.op} compiled for {device}")

        stage("execute")
        started = time.perf_counter()
        out = compiled(*args)
        out = jax.block_until_ready(out)
        state["timings"]["execute_s"] = round(time.perf_counter() - started, 4)
        lived = sorted(out.devices(), key=lambda d: d.id)[0]
        state["placement"] = {"platform": lived.platform, "device": str(lived)}

        stage("compare")
        actual = np.asarray(out, dtype=np.float64)
        if program.statistical:
            _check_uniform(family, actual)
        else:
            cpu = jax.devices("cpu")[0]
            with jax.disable_jit():
                expected = np.asarray(fn(*jax.device_put(host_args, cpu)), dtype=np.float64)
            _check_close(family, actual, expected, program.rtol, program.atol)
        return finish("pass", f"{program.op} ran on {lived} and matches the CPU")
    except Exception as exc:  # the traceback is the evidence; the harness classifies it
        traceback.print_exc()
        lines = str(exc).strip().splitlines()
        return finish("fail", f"{type(exc).__name__}: {lines[-1] if lines else ''}".strip())


def _target_device(jax, target: str):
    errors = []
    for platform in PLATFORMS[target]:
        try:
            return jax.devices(platform)[0]
        except RuntimeError as exc:
            errors.append(str(exc))
    raise RuntimeError(errors[-1] if errors else f"Unknown backend: '{target}'")


def _check_close(family: str, actual, expected, rtol: float, atol: float) -> None:
    import numpy as np
    if actual.shape != expected.shape:
        raise AssertionError(f"ttprobe: numerical mismatch: {family} shape {actual.shape} != reference {expected.shape}")
    if not np.allclose(actual, expected, rtol=rtol, atol=atol):
        err = float(np.max(np.abs(actual - expected)))
        raise AssertionError(f"ttprobe: numerical mismatch: {family} max abs error {err:.3g} exceeds rtol={rtol}, atol={atol}")


def _check_uniform(family: str, actual) -> None:
    import numpy as np
    if actual.size == 0 or actual.min() < 0 or actual.max() >= 1 or abs(float(actual.mean()) - 0.5) > 0.05:
        raise AssertionError(f"ttprobe: numerical mismatch: {family} is not uniform on [0, 1) "
                             f"(min {actual.min():.3g}, max {actual.max():.3g}, mean {actual.mean():.3g})")


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
