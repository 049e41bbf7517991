"""JAX dot product and matmul on the target device, checked against numpy."""

from ttprobe_probe import ProbeRun
from ttprobe_probe.jaxutil import batch_sharding, host_setup, run_jitted, start_census, target_devices

SIZES = {"tiny": 128, "full": 2048}

with ProbeRun("jax-dot") as run:
    run.require("jax", "numpy")
    import jax
    import jax.numpy as jnp
    import numpy as np
    start_census(run)

    devices = target_devices(run)
    with host_setup():
        x = jax.device_put(jnp.array([1.0, 2.0, 3.0], dtype=jnp.float32), devices[0])
        y = jax.device_put(jnp.array([4.0, 5.0, 6.0], dtype=jnp.float32), devices[0])
    d = run_jitted(run, jax.jit(jnp.dot), x, y)
    run.check_close(d, np.dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]), rtol=1e-3, atol=1e-3, what="dot")

    n = SIZES[run.size]
    batch = len(devices) * 2
    rng = np.random.default_rng(0)
    a_host = rng.standard_normal((batch, n, n), dtype=np.float32) / np.sqrt(n)
    b_host = rng.standard_normal((n, n), dtype=np.float32)
    sharded, replicated = batch_sharding(devices)
    a = jax.device_put(a_host, sharded)
    b = jax.device_put(b_host, replicated)
    out = run_jitted(run, jax.jit(lambda p, q: p @ q), a, b)
    # bf16 accumulation on TT hardware is coarser than float32 on the host.
    run.check_close(out, a_host @ b_host, rtol=2e-2, atol=5e-2, what="matmul")
    run.metric("dot", float(d))
    run.metric("matmul_gflops", 2 * batch * n**3 / run.elapsed("execute") / 1e9)
    run.passed(f"dot = {float(d)}; {batch}x{n}x{n} matmul matches numpy")
