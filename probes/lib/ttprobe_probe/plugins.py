"""Which PJRT plugins JAX may load in a probe: none but its own CPU backend in a CPU reference run."""

from __future__ import annotations

import importlib.metadata
import pkgutil
import sys
import types


def keep_plugins_off() -> list[str]:
    """Make every installed JAX plugin's `initialize()` register nothing; returns their module names.

    JAX imports each installed plugin at start and calls its `initialize()`, whatever JAX_PLATFORMS
    says, and jax-tt-plugin's libtt.so unpacks its 400 MB tt-metal toolchain as soon as it is loaded
    (half a minute on a busy machine, or a failure when another process is unpacking the same folder).
    A CPU reference run has no use for it, so the TT-XLA stack's interpreter (which has the plugin)
    gives the same reference as the CPU venv. Call before importing jax.
    """
    if "jax" in sys.modules:
        return []
    names: set[str] = set()
    try:
        import jax_plugins  # the namespace package plugins install into

        names |= {m.name for m in pkgutil.iter_modules(jax_plugins.__path__, "jax_plugins.")}
    except ImportError:
        pass
    try:
        names |= {ep.value for ep in importlib.metadata.entry_points(group="jax_plugins")}
    except Exception:
        pass
    for name in names:
        stub = types.ModuleType(name)
        stub.initialize = lambda: None
        sys.modules[name] = stub
    return sorted(names)
