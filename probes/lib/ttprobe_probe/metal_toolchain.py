"""Which kernel toolchain (SFPI) ttnn builds with, and whether it is the one ttnn was made for.

ttnn looks for the toolchain in <ttnn>/runtime/sfpi, then /opt/tenstorrent/sfpi (tt_metal/jit_build), and
stops with "sfpi not found at ..." when neither exists. The wheel names the SFPI release it was built
against in ttnn/tt_metal/sfpi-version (`sfpi_version='7.89.0'`); the compiler names its own release in
`riscv-tt-elf-gcc --version` ("(tenstorrent/sfpi:7.87.0[1023]) 15.1.0"). A mismatch is reported, not hidden.
"""

from __future__ import annotations

import os
import re
import subprocess


def _ttnn_dir() -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("ttnn")
    return list(spec.submodule_search_locations)[0] if spec and spec.submodule_search_locations else None


def expected_version(ttnn_dir: str | None) -> str | None:
    if not ttnn_dir:
        return None
    try:
        with open(os.path.join(ttnn_dir, "tt_metal", "sfpi-version"), encoding="utf-8") as handle:
            match = re.search(r"sfpi_version='([^']+)'", handle.read())
    except OSError:
        return None
    return match.group(1) if match else None


def compiler_version(sfpi: str) -> str | None:
    try:
        out = subprocess.run([os.path.join(sfpi, "compiler", "bin", "riscv-tt-elf-gcc"), "--version"],
                             capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"sfpi:([0-9][\w.]*)", out)
    return match.group(1) if match else None


def describe_toolchain() -> dict:
    """{path, resolved, version, expected, mismatch} for the toolchain ttnn will use; path None when none."""
    ttnn_dir = _ttnn_dir()
    candidates = [os.path.join(ttnn_dir, "runtime", "sfpi")] if ttnn_dir else []
    candidates.append("/opt/tenstorrent/sfpi")
    expected = expected_version(ttnn_dir)
    for path in candidates:
        if os.path.isdir(path):
            version = compiler_version(path)
            return {"path": path, "resolved": os.path.realpath(path), "version": version, "expected": expected,
                    "mismatch": bool(version and expected and version != expected)}
    return {"path": None, "resolved": None, "version": None, "expected": expected, "mismatch": False,
            "looked": candidates}


def record_toolchain(run) -> dict:
    """The toolchain into the result's details and versions; a mismatch as a detail a person reads."""
    info = describe_toolchain()
    run.detail("sfpi", info)
    run.version("sfpi", info["version"])
    if info["mismatch"]:
        run.detail("sfpi_mismatch", f"ttnn was built for SFPI {info['expected']}; kernels are built with SFPI "
                                    f"{info['version']} from {info['resolved']}")
    return info
