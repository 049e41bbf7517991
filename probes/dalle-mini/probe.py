"""DALL-E mini: DalleBart encoder on a prompt, VQGAN decoder on image tokens, on the target device."""

import os

from ttprobe_probe import ProbeRun
from ttprobe_probe.jaxutil import census_of, record_placement, target_devices

with ProbeRun("dalle-mini") as run:
    run.require("jax", "flax", "dalle_mini", "vqgan_jax")
    import jax
    import jax.numpy as jnp
    import numpy as np
    from dalle_mini import DalleBart
    from vqgan_jax.modeling_flax_vqgan import VQModel

    run.versions_of("dalle-mini", "vqgan-jax")
    if run.weights:
        model, params = DalleBart.from_pretrained(os.path.join(run.weights, "dalle"), _do_init=False)
        vqgan, vq_params = VQModel.from_pretrained(os.path.join(run.weights, "vqgan"), _do_init=False)
    else:
        from dalle_mini.model.configuration import DalleBartConfig
        from vqgan_jax.modeling_flax_vqgan import VQGANConfig

        tiny = run.size == "tiny"
        dalle_cfg = DalleBartConfig(**(dict(d_model=64, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                                             decoder_attention_heads=2, encoder_ffn_dim=128, decoder_ffn_dim=128)
                                        if tiny else {}))
        model = DalleBart(dalle_cfg, seed=0)
        params = model.params
        vqgan = VQModel(VQGANConfig(**(dict(ch=32, ch_mult=(1, 1, 2, 2, 4), num_res_blocks=1) if tiny else {})), seed=0)
        vq_params = vqgan.params
    devices = target_devices(run, 1)
    ids = jax.device_put(jnp.ones((1, 64), jnp.int32), devices[0])
    encode = jax.jit(lambda p, x: model.encode(input_ids=x, params=p).last_hidden_state)
    census_of(run, encode, params, ids)
    with run.timer("execute"):
        hidden = encode(params, ids).block_until_ready()
    codes = jax.device_put(jnp.zeros((1, 256), jnp.int32), devices[0])
    decode = jax.jit(lambda p, c: vqgan.decode_code(c, params=p))
    census_of(run, decode, vq_params, codes)
    with run.timer("execute"):
        image = decode(vq_params, codes).block_until_ready()
    record_placement(run, image)
    run.stage("compare")
    if not np.all(np.isfinite(np.asarray(image))):
        raise RuntimeError("ttprobe: numerical mismatch: VQGAN output has non-finite values")
    run.passed(f"encoded a prompt ({hidden.shape}) and decoded a {image.shape[1]}x{image.shape[2]} image")
