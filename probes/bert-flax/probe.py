"""Flax BERT sequence classification: the model that died with `slice_dim and num_devices` in the hand run."""

import os
import sys

from ttprobe_probe import ProbeRun
from ttprobe_probe.jaxutil import batch_sharding, cpu_reference, host_setup, run_jitted, start_census, target_devices
from ttprobe_probe.weights import load_params

# bert-base at full size; tiny keeps every op (embeddings, attention, GELU, pooler) at toy widths.
SIZES = {
    "tiny": dict(vocab_size=1000, hidden=64, layers=2, heads=2, intermediate=128, max_positions=64, seq=32, per_device_batch=2),
    "full": dict(vocab_size=30522, hidden=768, layers=12, heads=12, intermediate=3072, max_positions=512, seq=128, per_device_batch=8),
}


def transformers_model(run, cfg):
    """transformers' Flax BERT, or None when this transformers has no Flax classes."""
    try:
        from transformers import BertConfig, FlaxBertForSequenceClassification
    except ImportError as exc:
        run.detail("implementation_note", f"transformers Flax BERT unavailable ({exc}); using the probe's own")
        return None
    run.versions_of("transformers")
    if run.weights:
        model = FlaxBertForSequenceClassification.from_pretrained(run.weights, local_files_only=True)
        run.detail("weights", os.path.abspath(run.weights))
    else:
        config = BertConfig(vocab_size=cfg["vocab_size"], hidden_size=cfg["hidden"], num_hidden_layers=cfg["layers"],
                            num_attention_heads=cfg["heads"], intermediate_size=cfg["intermediate"],
                            max_position_embeddings=cfg["max_positions"], num_labels=2)
        model = FlaxBertForSequenceClassification(config, seed=0)
    apply = lambda params, ids, mask, types: model.module.apply({"params": params}, ids, mask, types, None, None, deterministic=True)[0]
    return apply, model.params


def own_model(run, cfg):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import jax
    import jax.numpy as jnp
    from own_bert import BertForSequenceClassification

    module = BertForSequenceClassification(cfg["vocab_size"], cfg["hidden"], cfg["layers"], cfg["heads"],
                                           cfg["intermediate"], cfg["max_positions"], 2)
    ids = jnp.zeros((1, cfg["seq"]), jnp.int32)
    params = load_params(run, lambda: module.init(jax.random.PRNGKey(0), ids, jnp.ones_like(ids), jnp.zeros_like(ids)))
    return module.apply, params


with ProbeRun("bert-flax") as run:
    run.require("jax", "flax", "numpy")
    import jax
    import numpy as np
    start_census(run)

    cfg = SIZES[run.size]
    with host_setup():
        built = None if os.environ.get("TTPROBE_BERT_IMPL") == "own" else transformers_model(run, cfg)
        run.detail("implementation", "transformers.FlaxBertForSequenceClassification" if built else "probe's own Flax BERT")
        apply, params = built or own_model(run, cfg)

    devices = target_devices(run)
    batch = cfg["per_device_batch"] * len(devices)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, cfg["vocab_size"], (batch, cfg["seq"]), dtype=np.int32)
    mask = np.ones_like(ids)
    mask[:, cfg["seq"] * 3 // 4:] = 0
    types = np.zeros_like(ids)

    forward = jax.jit(apply)
    reference = cpu_reference(apply, params, ids, mask, types)
    sharded, replicated = batch_sharding(devices)
    args = (jax.device_put(params, replicated), *(jax.device_put(a, sharded) for a in (ids, mask, types)))
    logits = run_jitted(run, forward, *args)
    run.check_close(logits, reference, rtol=5e-2, atol=5e-2, what="logits")
    run.metric("sequences_per_s", batch / run.elapsed("execute"))
    run.passed(f"{batch} sequences of {cfg['seq']} tokens classified; logits match the op-by-op CPU reference")
