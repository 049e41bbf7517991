"""DALL-E mini: an honest skip, naming what is missing, until a real DalleBart + VQGAN can run here.

The hand run could not install it, and it still cannot be run for real with the pinned stack:
- the published `dalle-mini` (0.1.5, its latest release) pins jax==0.3.25, flax==0.6.3 and
  transformers==4.25.1, while TT-XLA's PJRT plugin runs with jax 0.7.1 (requirements-tt.txt);
- `vqgan-jax`, its VQGAN decoder, is not published on PyPI at all;
- the DalleBart tokenizer vocabulary and the DalleBart/VQGAN weights are published only on the
  model hub, which probe machines cannot be assumed to reach.
A probe that encoded a vector of ones and decoded all-zero codes would pass without testing
DALL-E mini, so there is no pass path: the probe always skips, with these facts.
"""

from importlib import metadata

from ttprobe_probe import ProbeRun


def installed(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


with ProbeRun("dalle-mini") as run:
    run.versions_of("jax", "flax", "transformers")
    dalle, vqgan = installed("dalle-mini"), installed("vqgan-jax")
    run.version("dalle-mini", dalle)
    run.version("vqgan-jax", vqgan)
    jax_version = installed("jax") or "not installed"
    facts = [
        f"dalle-mini {dalle} is installed, but its releases pin jax==0.3.25, flax==0.6.3, transformers==4.25.1" if dalle
        else "dalle-mini is not installed (its latest release, 0.1.5, pins jax==0.3.25, flax==0.6.3, transformers==4.25.1)",
        f"jax here is {jax_version} (TT-XLA's PJRT plugin runs with 0.7.1)",
        f"vqgan-jax {vqgan} is installed" if vqgan else "vqgan-jax (the VQGAN decoder) is not on PyPI",
        "the DalleBart tokenizer vocabulary and the DalleBart/VQGAN weights are only on the model hub",
    ]
    run.skip("no DALL-E mini runs with the pinned stack: " + "; ".join(facts) + "; ttprobe has no pass path for it",
             ["dalle-mini for jax 0.7", "vqgan-jax", "DalleBart tokenizer vocabulary", "DalleBart and VQGAN weights"])
