"""tt-metal helpers: find a demo under TT_METAL_HOME and pick the one test of it a probe means.

Running the chosen test and reading back where its output lived is in metal_pytest.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# MESH_DEVICE (set by the runner from the tier, or by the user) -> chips in the system.
CHIPS_OF_MESH = {"N150": 1, "N300": 2, "T3K": 8, "TG": 32, "GALAXY": 32, "P100": 1, "P150": 1, "P300": 2,
                 "P150X4": 4, "P150X8": 8, "BHGLX": 32}


@dataclass(frozen=True)
class Demo:
    """A test function in a demo file, relative to TT_METAL_HOME; `arch` when it only runs on one."""

    path: str
    function: str
    arch: str | None = None
    # Only for systems of at least this many chips (tt-metal keeps some multi-chip variants apart).
    min_chips: int | None = None


def describe_device(device) -> str:
    """A device or mesh in words, from what it reports: shape, chip ids, architecture."""
    ids = list(device.get_device_ids()) if hasattr(device, "get_device_ids") else [device.id()]
    shape = getattr(device, "shape", None)
    kind = f"mesh {shape[0]}x{shape[1]}" if shape is not None and len(tuple(shape)) == 2 else "device"
    arch = ""
    try:
        arch = f", {getattr(device.arch(), 'name', device.arch())}"
    except Exception:  # noqa: BLE001 - the architecture is a nicety; the ids are the fact
        pass
    return f"ttnn {kind} (chip ids {', '.join(str(i) for i in ids)}{arch})"


def metal_home(run) -> str:
    home = os.environ.get("TT_METAL_HOME")
    if not home:
        run.skip("TT_METAL_HOME is not set: no tt-metal checkout to run", ["TT_METAL_HOME"])
    if not os.path.isdir(home):
        run.skip(f"TT_METAL_HOME={home} does not exist", ["TT_METAL_HOME"])
    return os.path.abspath(home)


def require_tt_target(run) -> None:
    if run.target != "tt":
        run.skip(f"tt-metal computes only on Tenstorrent hardware; this run's target is {run.target}")


def mesh_name() -> str:
    return os.environ.get("MESH_DEVICE", "").strip().upper()


def system_arch() -> str | None:
    """wormhole or blackhole from MESH_DEVICE (Blackhole: P100/P150/P300, P150x4/x8, BHGLX); None when unknown."""
    mesh = mesh_name()
    if not mesh:
        return None
    return "blackhole" if mesh.startswith("P") or mesh == "BHGLX" else "wormhole"


def wanted_chips(run) -> int | None:
    """How many chips the test should use: --devices when above 1, else the whole system from MESH_DEVICE."""
    if run.devices > 1:
        return run.devices
    return CHIPS_OF_MESH.get(mesh_name())


def find_demo(run, home: str, demos: list[Demo], what: str) -> Demo:
    """The first demo this checkout has, among those for this system's architecture; skips naming them all."""
    arch = system_arch()
    chips = wanted_chips(run)
    fitting = [d for d in demos if (d.arch is None or arch is None or d.arch == arch)
               and (d.min_chips is None or (chips is not None and chips >= d.min_chips))]
    for demo in fitting:
        if os.path.isfile(os.path.join(home, demo.path)):
            run.detail("demo", f"{demo.path}::{demo.function}")
            return demo
    looked = ", ".join(d.path for d in fitting)
    run.skip(f"no {what} demo in {home}" + (f" for {arch}" if arch else "") + f" (looked for {looked})")
    raise AssertionError("unreachable")


def chips_of(value) -> int | None:
    """Chips a mesh_device parameter asks for: a (rows, cols) shape or a count."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0] * value[1]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def by_size(items: list[dict], size: str, keys: tuple[str, ...] = ("batch_size", "batch")) -> list[dict]:
    """The items whose batch parameter is the smallest (tiny) or the largest (full) the demo lists."""
    for key in keys:
        values = [i["params"][key] for i in items if isinstance(i["params"].get(key), int)]
        if values:
            want = min(values) if size == "tiny" else max(values)
            return [i for i in items if i["params"].get(key) == want]
    return items


def by_mesh(run, items: list[dict], what: str) -> list[dict]:
    """The items whose mesh_device parameter fits the chips wanted; skips naming the meshes the demo lists."""
    meshes = [i for i in items if chips_of(i["params"].get("mesh_device")) is not None]
    if not meshes:
        return items
    chips = wanted_chips(run)
    fitting = [i for i in meshes if chips is None or chips_of(i["params"]["mesh_device"]) == chips]
    if not fitting:
        listed = sorted({"x".join(map(str, i["params"]["mesh_device"])) if isinstance(i["params"]["mesh_device"], list)
                         else str(i["params"]["mesh_device"]) for i in meshes})
        run.skip(f"{what} lists only meshes {', '.join(listed)}; this system is MESH_DEVICE={mesh_name() or 'unset'}"
                 f" and the run wants {chips} chip(s)")
    return fitting


def pick_one(run, items: list[dict], demo: Demo, what: str, prefer=None) -> dict:
    """The one test to run: the demo's function, not skip-marked, by mesh and size, then `prefer`red, then first."""
    mine = [i for i in items if i["function"] == demo.function]
    if not mine:
        run.skip(f"{demo.path} has no test {demo.function} in this checkout")
    runnable = [i for i in mine if not i["skip"]]
    if not runnable:
        run.skip(f"{demo.path}::{demo.function} is skip-marked in this checkout: {mine[0]['skip']}")
    chosen = by_size(by_mesh(run, runnable, what), run.size)
    if not any(isinstance(i["params"].get(k), int) for i in runnable for k in ("batch_size", "batch")):
        # BERT tiny, for one, picks its batch inside the demo: say so rather than let --size look honoured.
        run.detail("size_effect", f"--size {run.size} has no effect: {demo.path}::{demo.function} has no batch "
                                  "parameter (the demo chooses its batch itself)")
    if prefer:
        chosen = sorted(chosen, key=prefer)
    item = chosen[0]
    run.detail("test", item["nodeid"])
    run.detail("params", item["params"])
    return item


def chips_used(item: dict) -> str:
    """What the chosen test opens, in words: the --devices mapping is only as fine as the demo's parameters."""
    mesh = item["params"].get("mesh_device")
    if chips_of(mesh) is not None:
        return f"{chips_of(mesh)} (its mesh_device parameter {mesh})"
    if "mesh_device" in item.get("fixtures", []):
        return "every chip the system has (the demo's mesh_device default)"
    if "device" in item.get("fixtures", []):
        return "1 (the demo's device fixture)"
    return "as the demo decides"
