"""A pytest plugin the tt-metal probes load into a demo's pytest (`-p ttprobe_probe.metal_plugin`).

It changes nothing the demo computes. It writes one JSON report (TTPROBE_METAL_REPORT) saying:
- when collecting (`--collect-only`): every test with its parameters and skip marks, so the probe can
  pick the one test it means by parameter values rather than by guessing parametrize ids;
- when running: every ttnn tensor the test read back to the host (`ttnn.to_torch`, `ttnn.from_device`,
  `Tensor.cpu`, `Tensor.to_torch`) with its storage type and device, read from the tensor itself;
  and every image the test saved with PIL.

Image saves to a relative path (the demo's working directory is TT_METAL_HOME) go to
TTPROBE_METAL_FRAMES instead, numbered in save order, so nothing lands in the checkout, a demo that
saves every image under one name loses none, and no file from an earlier attempt can be mistaken
for this one's. Saves to an absolute path happen as asked and are copied there too.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
import threading

from .metal import describe_device

REPORT = os.environ.get("TTPROBE_METAL_REPORT")
FRAMES = os.environ.get("TTPROBE_METAL_FRAMES")

# Every ttnn name this plugin wraps or reads, by owner. An upstream rename would otherwise record each
# demo as "no read-back" in silence: a hook that cannot be installed is listed in the report's
# missingHooks, and a test checks each name against the real ttnn wheel.
WRAPPED = {"ttnn": ("to_torch", "from_device"), "ttnn.Tensor": ("cpu", "to_torch")}
READ = {"ttnn": ("is_tensor_storage_on_device",), "ttnn.Tensor": ("storage_type", "device")}

_state = {"readbacks": {"device": 0, "host": 0}, "lastDevice": None, "hooks": [], "missingHooks": [], "saves": []}
_depth = threading.local()


def _plain(value):
    """A parameter value as JSON: tuples as lists, enums and modules by name, the rest by repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return getattr(value, "__name__", None) or getattr(value, "name", None) or repr(value)


def _skip_reason(item) -> str | None:
    for mark in item.iter_markers():
        if mark.name == "skip":
            return str(mark.kwargs.get("reason", mark.args[0] if mark.args else "skip mark"))
        if mark.name == "skipif" and mark.args and all(a is True for a in mark.args):
            return str(mark.kwargs.get("reason", "skipif mark"))
    return None


def _write(data: dict) -> None:
    if not REPORT:
        return
    tmp = f"{REPORT}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, default=str)
    os.replace(tmp, REPORT)


def pytest_collection_finish(session):
    if not session.config.option.collectonly:
        return
    items = []
    for item in session.items:
        spec = getattr(item, "callspec", None)
        items.append({
            "nodeid": item.nodeid,
            "function": getattr(item, "originalname", None) or item.name,
            "id": spec.id if spec else None,
            "params": {k: _plain(v) for k, v in spec.params.items()} if spec else {},
            "skip": _skip_reason(item),
            "fixtures": [f for f in getattr(item, "fixturenames", []) if f in ("device", "mesh_device")],
        })
    _write({"collected": items})


def _record(tensor, via: str) -> None:
    import ttnn

    if getattr(_depth, "n", 0) > 1 or not isinstance(tensor, ttnn.Tensor):
        return
    if ttnn.is_tensor_storage_on_device(tensor):
        _state["readbacks"]["device"] += 1
        _state["lastDevice"] = {"via": via, "storage": str(tensor.storage_type()), "device": describe_device(tensor.device())}
    else:
        _state["readbacks"]["host"] += 1


def _watch(owner, name: str, label: str) -> None:
    original = getattr(owner, name, None)
    if original is None:
        _state["missingHooks"].append(label)
        return

    @functools.wraps(original)
    def watched(tensor, *args, **kwargs):
        _depth.n = getattr(_depth, "n", 0) + 1
        try:
            _record(tensor, label)
            return original(tensor, *args, **kwargs)
        finally:
            _depth.n -= 1

    try:
        setattr(owner, name, watched)
        _state["hooks"].append(label)
    except (AttributeError, TypeError):
        _state["missingHooks"].append(label)


def _capture_image_saves() -> None:
    from PIL import Image

    original = Image.Image.save
    counter = itertools.count(1)

    @functools.wraps(original)
    def save(self, fp, format=None, **params):
        if not FRAMES or not isinstance(fp, (str, os.PathLike)):
            return original(self, fp, format, **params)
        asked = os.fspath(fp)
        target = os.path.join(FRAMES, f"{next(counter):03d}-{os.path.basename(asked)}")
        if os.path.isabs(asked):
            result = original(self, asked, format, **params)
            shutil.copyfile(asked, target)
        else:
            result = original(self, target, format, **params)
        _state["saves"].append({"asked": asked, "frame": target})
        return result

    Image.Image.save = save


def pytest_configure(config):
    if config.option.collectonly:
        return
    import ttnn

    owners = {"ttnn": ttnn, "ttnn.Tensor": ttnn.Tensor}
    for owner, names in WRAPPED.items():
        for name in names:
            _watch(owners[owner], name, f"{owner}.{name}")
    for owner, names in READ.items():
        _state["missingHooks"] += [f"{owner}.{n}" for n in names if not hasattr(owners[owner], n)]
    if FRAMES:
        os.makedirs(FRAMES, exist_ok=True)
        _capture_image_saves()


def pytest_sessionfinish(session, exitstatus):
    if not session.config.option.collectonly:
        _write(_state)
