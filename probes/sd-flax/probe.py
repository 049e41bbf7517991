"""Stable Diffusion in Flax: the UNet and the scheduler loop that failed on `stablehlo.reduce_window` in the hand run.

diffusers dropped its Flax classes in 0.40, so this probe needs a pinned diffusers (requirements-cpu.txt).

Where setup runs is a choice (`--setup`):
- `host` (default): weights, scheduler state (`jnp.cumprod` -> `stablehlo.reduce_window`, rounding ->
  `stablehlo.round_nearest_even`) and RNG are made on the host CPU and put on the target, so a failure
  on the target is the denoising step's;
- `default`: setup runs eagerly on JAX's default device, as a user's `FlaxStableDiffusionPipeline`
  script does; on a TT machine that is the TT device, which is where the hand run failed.
"""

import argparse
import os

from ttprobe_probe import ProbeRun
from ttprobe_probe.jaxutil import (batch_sharding, compile_jitted, host_setup, phase, record_placement, start_census,
                                   target_devices)

# SD 2.1's UNet at full size (64x64 latents for 512 px); tiny keeps its block types at toy widths.
SIZES = {
    "tiny": dict(latent=16, blocks=(32, 64), layers=1, head_dim=8, context=32, tokens=8, steps=3, per_device_batch=1),
    "full": dict(latent=64, blocks=(320, 640, 1280, 1280), layers=2, head_dim=(5, 10, 20, 20), context=1024, tokens=77, steps=25, per_device_batch=1),
}


def build_unet(run, cfg):
    from diffusers import FlaxUNet2DConditionModel

    if run.weights:
        unet, params = FlaxUNet2DConditionModel.from_pretrained(run.weights, subfolder="unet", local_files_only=True)
        run.detail("weights", os.path.abspath(run.weights))
        return unet, params
    n = len(cfg["blocks"])
    unet = FlaxUNet2DConditionModel(
        sample_size=cfg["latent"], in_channels=4, out_channels=4, block_out_channels=cfg["blocks"],
        down_block_types=("CrossAttnDownBlock2D",) * (n - 1) + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * (n - 1),
        layers_per_block=cfg["layers"], attention_head_dim=cfg["head_dim"], cross_attention_dim=cfg["context"])
    import jax
    return unet, unet.init_weights(jax.random.PRNGKey(0))


SETUP = argparse.ArgumentParser(add_help=False)
SETUP.add_argument("--setup", choices=("host", "default"), default=os.environ.get("TTPROBE_SD_SETUP", "host"))

with ProbeRun(os.environ.get("TTPROBE_PROBE_ID", "sd-flax")) as run:
    setup_on = SETUP.parse_known_args()[0].setup
    run.detail("setup", setup_on)
    run.require("jax", "flax", "numpy", "diffusers")
    import jax
    import jax.numpy as jnp
    import numpy as np
    start_census(run)
    try:
        from diffusers import FlaxDDIMScheduler, FlaxUNet2DConditionModel  # noqa: F401
    except ImportError as exc:
        run.skip(f"this diffusers has no Flax classes ({exc}); install the pinned diffusers from requirements-cpu.txt",
                 ["diffusers<0.40"])
    run.versions_of("diffusers")

    cfg = SIZES[run.size]
    devices = target_devices(run)
    batch = cfg["per_device_batch"] * len(devices)
    # The same calls FlaxStableDiffusionPipeline makes: scheduler state from its config, timesteps, init noise.
    with host_setup() if setup_on == "host" else phase("setup", "default"):
        unet, params = build_unet(run, cfg)
        scheduler = FlaxDDIMScheduler.from_config(dict(num_train_timesteps=1000, beta_schedule="scaled_linear",
                                                       beta_start=0.00085, beta_end=0.012, clip_sample=False,
                                                       set_alpha_to_one=False))
        scheduler, state = scheduler if isinstance(scheduler, tuple) else (scheduler, None)
        state = state or scheduler.create_state()
        shape = (batch, 4, cfg["latent"], cfg["latent"])
        state = scheduler.set_timesteps(state, cfg["steps"], shape)
        rng = jax.random.PRNGKey(0)
        latents_rng, context_rng = jax.random.split(rng)
        latents0 = jax.random.normal(latents_rng, shape, jnp.float32) * state.init_noise_sigma
        context0 = jax.random.normal(context_rng, (batch, cfg["tokens"], cfg["context"]), jnp.float32)
        latents_host, context_host = np.asarray(latents0), np.asarray(context0)
        timesteps = np.asarray(state.timesteps)

    def denoise_step(params, latents, context, t, sched_state):
        noise = unet.apply({"params": params}, latents, jnp.full((latents.shape[0],), t, jnp.int32), context).sample
        return scheduler.step(sched_state, noise, t, latents).prev_sample

    step = jax.jit(denoise_step)
    cpu_step = jax.jit(denoise_step, backend="cpu")
    sharded, replicated = batch_sharding(devices)
    p = jax.device_put(params, replicated)
    latents = jax.device_put(latents_host, sharded)
    context = jax.device_put(context_host, sharded)
    target_state = jax.device_put(state, replicated)
    ref = latents_host
    compile_jitted(run, step, p, latents, context, timesteps[0], target_state)
    # Under a mock system the compiled step is the verdict: nothing runs, so there is no loop to compare.
    for t in ([] if run.compile_only else timesteps):
        with phase("workload"), run.timer("execute"):
            latents = step(p, latents, context, t, target_state).block_until_ready()
        with phase("reference", "cpu"):
            ref = np.asarray(cpu_step(params, ref, context_host, t, state))
    if not run.compile_only:
        record_placement(run, latents)
    run.check_close(latents, ref, rtol=5e-2, atol=5e-2, what="latents")
    run.metric("steps", len(timesteps))
    run.metric("seconds_per_step", run.elapsed("execute") / len(timesteps))
    run.passed(f"{len(timesteps)} DDIM steps on {batch}x4x{cfg['latent']}x{cfg['latent']} latents match the CPU reference"
               f" (setup on {'the host CPU' if setup_on == 'host' else 'the default device'})")
