"""JAX helpers: target devices, placement proof, batch sharding, and the census phases of a jitted
workload and its CPU reference (the census itself lives in census.py)."""

from __future__ import annotations

import os

from .census import host_setup, op_census, phase, start_census  # noqa: F401  (probes import them from here)

PLATFORMS = {"tt": ("tt",), "gpu": ("cuda", "rocm", "gpu"), "cpu": ("cpu",)}


def target_devices(run, count: int | None = None):
    """The devices of the asked-for target; raises (and so fails the probe) when it has none."""
    import jax

    run.versions_of("jax", "jaxlib", "flax", "pjrt-plugin-tt", "numpy")
    try:
        run.devices_seen(str(d) for d in jax.devices())
    except RuntimeError:
        pass
    errors = []
    for platform in PLATFORMS[run.target]:
        try:
            devices = jax.devices(platform)
        except RuntimeError as exc:
            errors.append(str(exc))
            continue
        run.devices_seen(str(d) for d in devices)
        want = count or run.devices
        if len(devices) < want:
            raise RuntimeError(f"asked for {want} {run.target} device(s), JAX sees {len(devices)}: {devices}")
        run.stage("setup")
        return devices[:want]
    raise RuntimeError(errors[-1] if errors else f"Unknown backend: '{run.target}'")


def record_placement(run, array) -> None:
    """Where the output actually lives, read from the array, not assumed from the request."""
    _placement(run, array.devices())


def _placement(run, devices) -> None:
    devices = sorted(devices, key=lambda d: d.id)
    platform = devices[0].platform
    name = str(devices[0]) if len(devices) == 1 else f"{len(devices)} x {platform} ({', '.join(str(d) for d in devices)})"
    run.placement(platform, name)


def batch_sharding(devices):
    """Shard the leading (batch) axis over a 1-D mesh of `devices`; replicate everything else."""
    import numpy as np
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    mesh = Mesh(np.array(devices), ("data",))
    return NamedSharding(mesh, PartitionSpec("data")), NamedSharding(mesh, PartitionSpec())


# tt-xla's PJRT plugin writes its stage to this file in its working directory (ENABLE_BRINGUP_STAGE_LOGGING).
BRINGUP_STAGE_FILE = "._bringup_stage.txt"


def seed_frontend_stage(run) -> None:
    """Mark the start of a program's frontend stage as tt-xla's own test runner does: the plugin writes
    TTMLIR_COMPILATION_START and RUNTIME_EXECUTION_START (each over the last) but never
    FE_COMPILATION_START. Written before every program, it also replaces the marker an earlier program
    left, which would otherwise label a failure of this one (a compile crash read as "runtime")."""
    if run.target != "tt" or os.environ.get("ENABLE_BRINGUP_STAGE_LOGGING") != "1":
        return
    with open(BRINGUP_STAGE_FILE, "w", encoding="utf-8") as handle:
        handle.write("FE_COMPILATION_START\n")


def compile_jitted(run, jitted, *args):
    """Lower and compile `jitted` for `args` in the workload phase, timing the compile; returns the
    compiled executable. Under a mock system, records where it was compiled for as the placement."""
    import jax

    with phase("workload"):
        # Lowering apart from compiling, so a failure to produce StableHLO is not put down to the backend.
        run.stage("lower")
        # After the stage line: a marker older than the probe's last stage is read as an earlier program's.
        seed_frontend_stage(run)
        lowered = jitted.lower(*args)
        with run.timer("compile"):
            compiled = lowered.compile()
    if run.compile_only:
        run.program_compiled()
        _placement(run, {d for s in jax.tree.leaves(compiled.output_shardings) for d in s.device_set})
    return compiled


def run_jitted(run, jitted, *args):
    """Compile and execute `jitted` on `args` in the workload phase, timing each apart, and record
    where the output lived. Under a mock system it only compiles, and returns host zeros of the
    output's shapes and dtypes, so the probe goes on to compile its later programs."""
    import jax
    import numpy as np

    compiled = compile_jitted(run, jitted, *args)
    if run.compile_only:
        return jax.tree.map(lambda s: np.zeros(s.shape, s.dtype), jax.eval_shape(jitted, *args))
    with phase("workload"):
        with run.timer("execute"):
            out = compiled(*args)
            out.block_until_ready()
    record_placement(run, out)
    return out


def cpu_reference(fn, *args):
    """`fn` evaluated op by op on the CPU, without jit: a reference that shares no compiled program
    with the run under test, even when that run is itself on the CPU."""
    import jax
    import numpy as np

    cpu = jax.devices("cpu")[0]
    with phase("reference", "cpu", cpu), jax.disable_jit():
        host_args = jax.device_put(args, cpu)
        return np.asarray(fn(*host_args))
