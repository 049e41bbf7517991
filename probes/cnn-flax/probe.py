"""Flax Linen CNN forward pass: Conv2D -> max_pool -> Dense, the model that crashed TT-MLIR in the hand run."""

from ttprobe_probe import ProbeRun
from ttprobe_probe.jaxutil import batch_sharding, cpu_reference, host_setup, run_jitted, start_census, target_devices
from ttprobe_probe.weights import load_params

# Same layers at both sizes, so the op census is the same; only shapes grow.
SIZES = {
    "tiny": {"image": 28, "channels": (8, 16), "classes": 10, "per_device_batch": 4},
    "full": {"image": 224, "channels": (64, 128), "classes": 1000, "per_device_batch": 16},
}

with ProbeRun("cnn-flax") as run:
    run.require("jax", "flax", "numpy")
    import jax
    import jax.numpy as jnp
    import numpy as np
    import flax.linen as nn
    start_census(run)

    cfg = SIZES[run.size]

    class CNN(nn.Module):
        @nn.compact
        def __call__(self, x):
            for features in cfg["channels"]:
                x = nn.Conv(features, kernel_size=(3, 3), padding="SAME")(x)
                x = nn.relu(x)
                x = nn.max_pool(x, window_shape=(2, 2), strides=(2, 2))
            x = x.reshape((x.shape[0], -1))
            return nn.Dense(cfg["classes"])(x)

    devices = target_devices(run)
    batch = cfg["per_device_batch"] * len(devices)
    model = CNN()
    images = np.random.default_rng(0).standard_normal((batch, cfg["image"], cfg["image"], 3)).astype(np.float32)
    with host_setup():
        params = load_params(run, lambda: model.init(jax.random.PRNGKey(0), jnp.zeros((1, cfg["image"], cfg["image"], 3))))

    forward = jax.jit(model.apply)
    reference = cpu_reference(model.apply, params, images)

    sharded, replicated = batch_sharding(devices)
    x = jax.device_put(images, sharded)
    p = jax.device_put(params, replicated)
    logits = run_jitted(run, forward, p, x)
    run.check_close(logits, reference, rtol=5e-2, atol=5e-2, what="logits")
    run.metric("logits_mean_abs", float(np.mean(np.abs(np.asarray(logits)))))
    run.metric("images_per_s", batch / run.elapsed("execute"))
    run.passed(f"{batch} images of {cfg['image']}x{cfg['image']} classified; logits match the op-by-op CPU reference")
