"""Weights without a hub: a local path when given (--weights / TTPROBE_WEIGHTS), else random init."""

from __future__ import annotations

import os


def load_params(run, init):
    """Flax params from a msgpack file written by flax.serialization.to_bytes, else `init()`."""
    if not run.weights:
        run.detail("weights", "random-init")
        return init()
    from flax import serialization

    path = run.weights
    if os.path.isdir(path):
        path = os.path.join(path, "flax_model.msgpack")
    if not os.path.exists(path):
        raise FileNotFoundError(f"--weights {run.weights}: no such file (expected a flax msgpack file or a folder holding flax_model.msgpack)")
    template = init()
    with open(path, "rb") as handle:
        params = serialization.from_bytes(template, handle.read())
    run.detail("weights", os.path.abspath(path))
    return params
