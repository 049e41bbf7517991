"""The probe side of the result protocol: collect facts, write one JSON file, exit."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from contextlib import contextmanager
from typing import Any, Iterable

PROTOCOL_VERSION = 1
SIZES = ("tiny", "full")
# How far a probe got, in order. Each is written to $TTPROBE_STAGE_FILE the moment it is entered.
STAGES = ("import", "setup", "lower", "compile", "execute", "compare")


class NumericalMismatch(AssertionError):
    """Raised by check_close; its text is what the catalog's numerical-mismatch rule reads."""


class _Verdict(Exception):
    """Ends the `with ProbeRun(...)` block once a verdict is written."""


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=True)
    parser.add_argument("--size", choices=SIZES, default=os.environ.get("TTPROBE_SIZE", "tiny"))
    parser.add_argument("--weights", default=os.environ.get("TTPROBE_WEIGHTS"),
                        help="local weights path (no hub access); random initialisation when absent")
    parser.add_argument("--devices", type=int, default=int(os.environ.get("TTPROBE_DEVICES", "1")))
    parser.add_argument("--target", choices=("tt", "gpu", "cpu"), default=os.environ.get("TTPROBE_TARGET", "cpu"))
    return parser.parse_known_args(argv)[0]


class ProbeRun:
    """Use as `with ProbeRun("jax-dot") as run:`; call run.passed(), run.skip() or let an exception fail it."""

    def __init__(self, probe_id: str, argv: list[str] | None = None):
        args = _arguments(sys.argv[1:] if argv is None else argv)
        self.probe_id = probe_id
        self.size: str = args.size
        self.weights: str | None = args.weights
        self.devices: int = max(1, args.devices)
        self.target: str = args.target
        self.result_file = os.environ.get("TTPROBE_RESULT_FILE")
        self.stage_file = os.environ.get("TTPROBE_STAGE_FILE")
        self.current_stage: str | None = None
        self.output_dir = os.environ.get("TTPROBE_OUTPUT_DIR", os.getcwd())
        self._data: dict[str, Any] = {
            "protocol": PROTOCOL_VERSION,
            "probe": probe_id,
            "target": self.target,
            "devicesSeen": [],
            "placement": None,
            "timings": {},
            "metrics": {},
            "versions": {},
            "artifacts": [],
            "census": {},
            "stages": [],
            "censusPhases": [],
            "skipReason": None,
            "missing": [],
            "message": None,
            "details": {"size": self.size, "devices": self.devices, "weights": self.weights or "random-init"},
        }
        self._written = False
        self._on_write: list = []
        # A mock system (`ttprobe run --mock`): the real compiler runs, execution is mocked, so the probe
        # compiles its programs for the target and executes none of them (PROTOCOL.md, "Mock systems").
        self.mock: str | None = os.environ.get("TTPROBE_MOCK") or None
        self.compile_only: bool = bool(self.mock) and self.target == "tt"
        if self.mock:
            self._data["details"]["mock"] = self.mock
        if self.target == "cpu":
            from .plugins import keep_plugins_off

            skipped = keep_plugins_off()
            if skipped:
                self._data["details"]["jax_plugins_not_loaded"] = skipped

    # -- lifecycle -------------------------------------------------------------------------------
    def __enter__(self) -> "ProbeRun":
        self._started = time.perf_counter()
        self.stage("import")
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is _Verdict:
            return True
        if exc is not None and not isinstance(exc, SystemExit):
            text = str(exc).strip().splitlines()
            self._write("fail", message=f"{exc_type.__name__}: {text[-1] if text else ''}".strip())
            return False
        if not self._written:
            self._write("fail", message="probe ended without a verdict")
        return False

    def on_write(self, callback) -> None:
        """`callback()` runs just before the result is written, e.g. to file what is still pending."""
        self._on_write.append(callback)

    def _write(self, status: str, **fields: Any) -> None:
        for callback in self._on_write:
            try:
                callback()
            except Exception as exc:  # the verdict matters more than what a callback would have added
                self._data["details"].setdefault("result_notes", []).append(f"{type(exc).__name__}: {exc}")
        self._data.update(fields)
        self._data["status"] = status
        self._data["timings"].setdefault("total_s", round(time.perf_counter() - self._started, 4))
        text = json.dumps(self._data, indent=2, default=str)
        if self.result_file:
            tmp = f"{self.result_file}.tmp"
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.result_file)
        else:
            print(text)
        self._written = True

    def stage(self, name: str) -> None:
        """Mark the stage the probe enters now. The line reaches the file before the work starts, and
        a write() survives the process: a segfault or abort in that stage still leaves it behind."""
        if name not in STAGES:
            raise ValueError(f"unknown stage {name!r}; stages are {', '.join(STAGES)}")
        if name == self.current_stage:
            return
        self.current_stage = name
        if name not in self._data["stages"]:
            self._data["stages"].append(name)
        if self.stage_file:
            fd = os.open(self.stage_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, f"{name}\n".encode())
                # fsync too, so the line outlives a machine that hangs or reboots with the device.
                os.fsync(fd)
            finally:
                os.close(fd)

    def passed(self, message: str) -> None:
        """The probe's workload worked. Under a mock system nothing was executed, so what it says about
        results would be false: the verdict is `compiled`, with what was compiled and where."""
        if self.compile_only:
            n = self._data["details"].get("compiled_programs", 0)
            where = (self._data["placement"] or {}).get("device", "the target")
            self._write("compiled", message=f"{n} workload program(s) compiled for {where} (mock {self.mock}); nothing was executed")
        else:
            self._write("pass", message=message)
        raise _Verdict()

    def compiled(self, message: str) -> None:
        """The real toolchain built the kernels but nothing was computed (a mock device): never a pass."""
        self._write("compiled", message=message)
        raise _Verdict()

    def skip(self, reason: str, missing: Iterable[str] = ()) -> None:
        self._write("skip", skipReason=reason, missing=list(missing))
        raise _Verdict()

    # -- facts -----------------------------------------------------------------------------------
    def require(self, *modules: str) -> None:
        """Skip, naming what is missing, when a module cannot be imported."""
        missing = [m for m in modules if importlib.util.find_spec(m) is None]
        if missing:
            self.skip(f"missing Python module(s): {', '.join(missing)}", missing)

    def version(self, name: str, value: str | None) -> None:
        if value:
            self._data["versions"][name] = str(value)

    def versions_of(self, *distributions: str) -> None:
        from importlib import metadata
        for dist in distributions:
            try:
                self.version(dist, metadata.version(dist))
            except metadata.PackageNotFoundError:
                pass

    def program_compiled(self) -> None:
        """Counts a workload program compiled and, under a mock system, not executed."""
        self._data["details"]["compiled_programs"] = self._data["details"].get("compiled_programs", 0) + 1

    def metric(self, name: str, value: float) -> None:
        if self.compile_only:
            return  # computed from outputs or execute times that a mock system never produced
        self._data["metrics"][name] = float(value)

    def detail(self, name: str, value: Any) -> None:
        self._data["details"][name] = value

    def artifact(self, path: str, kind: str = "other", description: str | None = None) -> None:
        rel = os.path.relpath(os.path.abspath(path), self.output_dir)
        entry = {"path": rel, "kind": kind}
        if description:
            entry["description"] = description
        self._data["artifacts"].append(entry)

    def op_results(self, results: list[dict]) -> None:
        """Op-coverage probes: one entry per op family (family, op, status, seconds, log, ...)."""
        self._data["opResults"] = list(results)

    def devices_seen(self, names: Iterable[str]) -> None:
        self._data["devicesSeen"] = sorted(set(self._data["devicesSeen"]) | {str(n) for n in names})

    def placement(self, platform: str, device: str) -> None:
        self._data["placement"] = {"platform": platform, "device": device}

    def census(self, ops: dict[str, int]) -> None:
        merged = dict(self._data["census"])
        for op, count in ops.items():
            merged[op] = merged.get(op, 0) + int(count)
        self._data["census"] = dict(sorted(merged.items()))

    def census_phases(self, phases: list[dict]) -> None:
        """The census by phase (see census.py); `census` becomes the op totals of every phase but
        the CPU reference, which never runs on the target."""
        self._data["censusPhases"] = phases
        totals: dict[str, int] = {}
        for phase in phases:
            if phase["phase"] == "reference":
                continue
            for module in phase["modules"]:
                for op, count in module["ops"].items():
                    totals[op] = totals.get(op, 0) + int(count)
        self._data["census"] = dict(sorted(totals.items()))

    @contextmanager
    def timer(self, name: str):
        """Time a block under `<name>_s`; `compile` and `execute` (and any other stage name) also mark the stage."""
        if name in STAGES:
            self.stage(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            key = f"{name}_s"
            self._data["timings"][key] = round(self._data["timings"].get(key, 0.0) + time.perf_counter() - start, 4)

    def elapsed(self, name: str) -> float:
        """Seconds recorded so far under run.timer(name); never zero, so rates can divide by it."""
        return max(self._data["timings"].get(f"{name}_s", 0.0), 1e-9)

    def check_close(self, actual, expected, rtol: float, atol: float, what: str) -> float:
        """Compare against a reference; returns the max abs error, raises NumericalMismatch past tolerance.
        Under a mock system there is nothing to compare: it records nothing and returns 0.0."""
        if self.compile_only:
            return 0.0
        import numpy as np
        self.stage("compare")
        a = np.asarray(actual, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
        if a.shape != e.shape:
            raise NumericalMismatch(f"ttprobe: numerical mismatch: {what} shape {a.shape} != reference {e.shape}")
        if not np.all(np.isfinite(a)):
            raise NumericalMismatch(f"ttprobe: numerical mismatch: {what} has non-finite values")
        err = float(np.max(np.abs(a - e))) if a.size else 0.0
        self.metric(f"{what}_max_abs_err", err)
        if not np.allclose(a, e, rtol=rtol, atol=atol):
            raise NumericalMismatch(
                f"ttprobe: numerical mismatch: {what} max abs error {err:.3g} exceeds rtol={rtol}, atol={atol}")
        return err
