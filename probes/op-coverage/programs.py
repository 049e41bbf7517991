"""One small JAX program per StableHLO op family. Each entry says which StableHLO op it exists to
exercise, how to build its inputs, and how its output is checked against the CPU."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Program:
    family: str
    op: str
    build: Callable[[], tuple[Callable, tuple]]
    rtol: float = 2e-2
    atol: float = 5e-2
    # Random output has no reference to match: only its shape and range are checked.
    statistical: bool = False


def _arange(*shape, dtype="float32"):
    import numpy as np
    n = int(np.prod(shape))
    return (np.arange(n, dtype=dtype).reshape(shape) % 7) / 7.0


def _dot_general():
    import jax.numpy as jnp
    return (lambda a, b: jnp.einsum("bij,bjk->bik", a, b)), (_arange(2, 32, 32), _arange(2, 32, 32))


def _convolution():
    from jax import lax
    return (lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))), (
        _arange(1, 16, 16, 8), _arange(3, 3, 8, 16))


def _max_pool(x):
    import jax.numpy as jnp
    from jax import lax
    # What flax.linen.max_pool emits, without needing Flax.
    return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def _reduce_window():
    return _max_pool, (_arange(1, 16, 16, 8),)


def _cumsum():
    import jax.numpy as jnp
    return (lambda x: jnp.cumsum(x, axis=1)), (_arange(8, 64),)


def _cumprod():
    import jax.numpy as jnp
    return (lambda x: jnp.cumprod(1.0 + x / 64.0, axis=1)), (_arange(8, 64),)


def _sort():
    import jax.numpy as jnp
    return (lambda x: jnp.sort(x, axis=-1)), (_arange(8, 64)[:, ::-1].copy(),)


def _gather():
    import numpy as np
    return (lambda table, idx: table[idx]), (_arange(64, 32), np.array([3, 1, 60, 7, 7, 0], dtype=np.int32))


def _scatter():
    import numpy as np
    return (lambda x, idx, upd: x.at[idx].add(upd)), (
        _arange(64, 32), np.array([3, 1, 60, 7], dtype=np.int32), _arange(4, 32))


def _select_and_scatter():
    import jax
    # The gradient of max pooling is StableHLO's select_and_scatter.
    return jax.grad(lambda x: _max_pool(x).sum()), (_arange(1, 16, 16, 8),)


def _pad():
    import jax.numpy as jnp
    return (lambda x: jnp.pad(x, ((1, 2), (3, 0)))), (_arange(32, 32),)


def _reverse():
    import jax.numpy as jnp
    return (lambda x: jnp.flip(x, axis=0)), (_arange(32, 32),)


def _dynamic_slice():
    import numpy as np
    from jax import lax
    return (lambda x, i: lax.dynamic_slice(x, (i, 0), (8, 32))), (_arange(64, 32), np.int32(5))


def _while():
    from jax import lax
    return (lambda x: lax.while_loop(lambda c: c[0] < 4, lambda c: (c[0] + 1, c[1] * 0.5 + 1.0), (0, x))[1]), (
        _arange(32, 32),)


def _case():
    import numpy as np
    from jax import lax
    return (lambda i, x: lax.switch(i, [lambda v: v + 1.0, lambda v: v * 2.0, lambda v: -v], x)), (
        np.int32(1), _arange(32, 32))


def _rng():
    import numpy as np
    import jax.numpy as jnp
    from jax import lax

    def uniform(key):
        _, bits = lax.rng_bit_generator(key, (64, 64), dtype=jnp.uint32)
        return (bits >> 8).astype(jnp.float32) / float(1 << 24)
    return uniform, (np.array([1, 2, 3, 4], dtype=np.uint32),)


def _erf_inv():
    from jax import lax
    return (lambda x: lax.erf_inv(x * 0.9)), (_arange(32, 32),)


def _custom_call_qr():
    import jax.numpy as jnp
    # QR has no StableHLO op: JAX emits a custom_call (Householder product) outside the CPU/GPU lowerings too.
    return (lambda a: jnp.abs(jnp.linalg.qr(a)[1])), (_arange(16, 16) + _identity(16),)


def _identity(n):
    import numpy as np
    return np.eye(n, dtype=np.float32) * 4.0


def _cholesky():
    import jax.numpy as jnp
    def spd(a):
        return jnp.linalg.cholesky(a @ a.T + 16.0 * jnp.eye(a.shape[0], dtype=a.dtype))
    return spd, (_arange(16, 16),)


def _triangular_solve():
    import jax.scipy.linalg as jsl
    return (lambda a, b: jsl.solve_triangular(a, b, lower=True)), (_identity(16) + _lower(16), _arange(16, 8))


def _lower(n):
    import numpy as np
    return np.tril(_arange(n, n), k=-1).astype(np.float32) * 0.1


def _fft():
    import jax.numpy as jnp
    return (lambda x: jnp.abs(jnp.fft.fft(x))), (_arange(8, 64),)


PROGRAMS: list[Program] = [
    Program("dot_general", "stablehlo.dot_general", _dot_general),
    Program("convolution", "stablehlo.convolution", _convolution),
    Program("reduce_window", "stablehlo.reduce_window", _reduce_window),
    Program("cumsum", "stablehlo.reduce_window", _cumsum),
    Program("cumprod", "stablehlo.reduce_window", _cumprod),
    Program("sort", "stablehlo.sort", _sort, rtol=0, atol=1e-6),
    Program("gather", "stablehlo.gather", _gather, rtol=0, atol=1e-6),
    Program("scatter", "stablehlo.scatter", _scatter),
    Program("select_and_scatter", "stablehlo.select_and_scatter", _select_and_scatter),
    Program("pad", "stablehlo.pad", _pad, rtol=0, atol=1e-6),
    Program("reverse", "stablehlo.reverse", _reverse, rtol=0, atol=1e-6),
    Program("dynamic_slice", "stablehlo.dynamic_slice", _dynamic_slice, rtol=0, atol=1e-6),
    Program("while", "stablehlo.while", _while),
    Program("case", "stablehlo.case", _case),
    Program("rng", "stablehlo.rng_bit_generator", _rng, statistical=True),
    Program("erf_inv", "chlo.erf_inv", _erf_inv),
    Program("custom_call_qr", "stablehlo.custom_call", _custom_call_qr),
    Program("cholesky", "stablehlo.cholesky", _cholesky),
    Program("triangular_solve", "stablehlo.triangular_solve", _triangular_solve),
    Program("fft", "stablehlo.fft", _fft),
]

BY_FAMILY: dict[str, Program] = {p.family: p for p in PROGRAMS}
