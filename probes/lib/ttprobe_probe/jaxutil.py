"""JAX helpers: target devices, placement proof, batch sharding, and the census phases of a jitted
workload and its CPU reference (the census itself lives in census.py)."""

from __future__ import annotations

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
    devices = sorted(array.devices(), key=lambda d: d.id)
    platform = devices[0].platform
    name = str(devices[0]) if len(devices) == 1 else f"{len(devices)} x {platform} ({', '.join(str(d) for d in devices)})"
    run.placement(platform, name)


def batch_sharding(devices):
    """Shard the leading (batch) axis over a 1-D mesh of `devices`; replicate everything else."""
    import numpy as np
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    mesh = Mesh(np.array(devices), ("data",))
    return NamedSharding(mesh, PartitionSpec("data")), NamedSharding(mesh, PartitionSpec())


def run_jitted(run, jitted, *args):
    """Compile and execute `jitted` on `args` in the workload phase, timing each apart, and record
    where the output lived."""
    with phase("workload"):
        # Lowering apart from compiling, so a failure to produce StableHLO is not put down to the backend.
        run.stage("lower")
        lowered = jitted.lower(*args)
        with run.timer("compile"):
            compiled = lowered.compile()
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
