"""The op census: every StableHLO module JAX compiles in this process, grouped by phase.

JAX writes each module it compiles (jitted functions, and the one-op modules of eager calls such as
`jnp.cumprod` outside jit) to `jax_dump_ir_to` just before compiling it. The census reads those
dumps, so nothing the probe runs escapes it, and files each module under the phase that was open
when it first appeared:

- `setup`: weights, scheduler state, RNG, inputs: everything before the timed computation
  (and the phase that is open when no other is);
- `workload`: the timed computation on the target devices;
- `reference`: the CPU reference the result is checked against; it never runs on the target, so
  it is recorded but predicts nothing.

A module that JAX compiled once and reused later (eager ops are cached per shape) counts in the
phase that compiled it first.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from contextlib import contextmanager, nullcontext

PHASES = ("setup", "workload", "reference")
# Where a phase's computations were placed: the asked-for target's devices, JAX's default device
# (what a user's script gets), or the host CPU on purpose.
PLACEMENTS = ("target", "default", "cpu")
DUMP_FOLDER = "stablehlo"

# An op starts a line, after its results if any: `%0 = stablehlo.add`, `%1:2 = "stablehlo.reduce_window"(`,
# `stablehlo.return`. Attribute mentions (`{mhlo.num_partitions = 1}`, `#sdy.sharding<...>`) do not.
_OP = re.compile(r'^\s*(?:%[^=\n]+=\s*)?"?((?:stablehlo|chlo|mhlo|sdy)\.[a-z_][a-z_0-9]*)"?(?=[\s(<{]|$)', re.M)
_MODULE = re.compile(r"^module @(\S+)", re.M)
_DUMP = re.compile(r"^jax_ir(\d+)_.*_compile\.mlir$")


def op_census(stablehlo_text: str) -> dict[str, int]:
    """StableHLO op counts of one module's text; region terminators are not ops worth counting."""
    counts = Counter(m.group(1) for m in _OP.finditer(stablehlo_text))
    counts.pop("stablehlo.return", None)
    return dict(sorted(counts.items()))


class Census:
    """Process-wide, like JAX's dump setting it drives: `Census.active` is the one started, if any."""

    active: "Census | None" = None

    def __init__(self, run):
        import jax

        self._run = run
        self._dir = os.path.join(run.output_dir, DUMP_FOLDER)
        os.makedirs(self._dir, exist_ok=True)
        jax.config.update("jax_dump_ir_to", self._dir)
        jax.config.update("jax_dump_ir_modes", "stablehlo")
        # Source locations would make every dump several times larger and name the probe's files.
        jax.config.update("jax_include_debug_info_in_dumps", False)
        self._taken: set[str] = set(os.listdir(self._dir))
        self._texts: set[str] = set()
        self._open = ("setup", "default")
        self._phases: dict[tuple[str, str], list[dict]] = {}
        run.on_write(self.collect)
        Census.active = self

    def collect(self) -> None:
        """Files every module dumped since the last call under the phase open now."""
        fresh = []
        for name in os.listdir(self._dir):
            match = _DUMP.match(name)
            if match and name not in self._taken:
                fresh.append((int(match.group(1)), name))
        for _, name in sorted(fresh):
            self._taken.add(name)
            with open(os.path.join(self._dir, name), encoding="utf-8") as handle:
                text = handle.read()
            # The same program compiled twice (e.g. `.lower().compile()` and then a call) is one program.
            digest = hashlib.sha256(text.encode()).hexdigest()
            if digest in self._texts:
                continue
            self._texts.add(digest)
            module = _MODULE.search(text)
            self._phases.setdefault(self._open, []).append({
                "name": module.group(1) if module else name,
                "file": f"{DUMP_FOLDER}/{name}",
                "ops": op_census(text),
            })
        self._publish()

    def _publish(self) -> None:
        phases = [{"phase": phase, "placement": placement, "modules": modules}
                  for (phase, placement), modules in self._phases.items()]
        self._run.census_phases(phases)

    @contextmanager
    def phase(self, name: str, placement: str = "target", device=None):
        """Modules compiled inside the block belong to phase `name`; with `device`, JAX's default
        device is `device` there, so eager calls run on it."""
        import jax

        if name not in PHASES or placement not in PLACEMENTS:
            raise ValueError(f"census phase {name!r} / placement {placement!r}: expected one of {PHASES} / {PLACEMENTS}")
        self.collect()
        before = self._open
        self._open = (name, placement)
        try:
            with jax.default_device(device) if device is not None else nullcontext():
                yield
        finally:
            self.collect()
            self._open = before


def start_census(run) -> Census:
    """Starts the census for this process (once); call it right after importing jax."""
    return Census.active or Census(run)


def phase(name: str, placement: str = "target", device=None):
    """`Census.active.phase(...)`, or nothing at all when no census was started."""
    census = Census.active
    return census.phase(name, placement, device) if census else nullcontext()


def host_setup():
    """The setup phase on the host CPU: eager setup work runs there, and its results are then put on
    the target, so that a failure on the target belongs to the workload."""
    import jax

    return phase("setup", "cpu", jax.devices("cpu")[0])
