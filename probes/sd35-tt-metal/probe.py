"""tt-metal Stable Diffusion 3.5 Large over the World's Fair prompts, then the 10-second video.

The demo reads prompts with input() until one starts with "q", unless NO_PROMPT=1. Prompt-set mode
(the default) feeds it a finite stdin, the prompts then "q", so it can never wait on a terminal:
--size tiny the first three prompts, --size full all of them. TTPROBE_SD35_MODE=single sets
NO_PROMPT=1 with stdin closed and makes the demo's one built-in image.

The test is chosen from what pytest collects: the mesh that fits this system (MESH_DEVICE from the
tier, or --devices), not skip-marked, untraced, with the weight cache. Frames are the images this
attempt's test saved (ttprobe_probe.metal_plugin numbers them into a fresh folder), never PNGs that
happen to lie around from an earlier attempt.
"""

import os
import tempfile

from ttprobe_probe import ProbeRun
from ttprobe_probe.metal import Demo, find_demo, mesh_name, metal_home, pick_one, require_tt_target
from ttprobe_probe.metal_pytest import collect, record_placement, run_test
from ttprobe_probe.video import stitch_video

DEMOS = [
    Demo("models/tt_dit/tests/models/sd35/test_pipeline_sd35.py", "test_sd35_pipeline"),
    Demo("models/experimental/tt_dit/tests/models/sd35/test_pipeline_sd35.py", "test_sd35_pipeline"),
    Demo("models/experimental/stable_diffusion_35_large/fun_demo.py", "test_sd3"),
    Demo("models/experimental/stable_diffusion_35_large/demo.py", "test_sd3"),
]
PROMPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "prompts", "worldsfair.txt")
TINY_PROMPTS = 3


def read_prompts(size: str) -> list[str]:
    prompts = [line.strip() for line in open(PROMPTS, encoding="utf-8") if line.strip()]
    for prompt in prompts:
        # The demo ends its loop on a prompt whose first character is "q".
        if prompt.startswith("q"):
            raise ValueError(f"{PROMPTS}: prompt {prompt!r} starts with 'q', which the demo reads as quit")
    return prompts[:TINY_PROMPTS] if size == "tiny" else prompts


def untraced_with_cache(item: dict):
    """Untraced first; with the weight cache where the layout has a use_cache parameter (the older
    models/experimental/tt_dit file did; the current one has none, and then this key is neutral)."""
    params = item["params"]
    return (params.get("traced") is True, params.get("use_cache") is False)


with ProbeRun("sd35-tt-metal") as run:
    run.require("ttnn", "pytest")
    home = metal_home(run)
    require_tt_target(run)
    run.versions_of("ttnn")
    demo = find_demo(run, home, DEMOS, "SD 3.5 Large")
    single = os.environ.get("TTPROBE_SD35_MODE") == "single"
    env = {"NO_PROMPT": "1" if single else "0"}
    item = pick_one(run, collect(run, home, demo.path, env), demo, "SD 3.5 Large on tt-metal", untraced_with_cache)

    prompts = [] if single else read_prompts(run.size)
    run.detail("mode", "single (NO_PROMPT=1)" if single else f"{len(prompts)} World's Fair prompt(s) on stdin, then q")
    stdin_file = None
    if not single:
        stdin_file = os.path.join(tempfile.mkdtemp(), "prompts.txt")
        with open(stdin_file, "w", encoding="utf-8") as handle:
            handle.write("\n".join(prompts + ["q"]) + "\n")
    frames_dir = tempfile.mkdtemp(prefix="frames-", dir=run.output_dir)
    run.stage("setup")
    with run.timer("execute"):
        report = run_test(run, home, item["nodeid"], env=env, stdin_file=stdin_file, frames=frames_dir)
    record_placement(run, report, item["nodeid"])

    frames = [s["frame"] for s in report.get("saves", []) if os.path.isfile(s["frame"])]
    if not frames:
        raise RuntimeError("the SD 3.5 demo finished but saved no image")
    if prompts and len(frames) != len(prompts):
        raise RuntimeError(f"the SD 3.5 demo saved {len(frames)} image(s) for {len(prompts)} prompt(s)")
    for frame in frames:
        run.artifact(frame, "image", "generated frame")
    video = os.path.join(run.output_dir, "worldsfair.mp4")
    with run.timer("stitch"):
        stitch_video(frames, video, duration=10.0)
    run.artifact(video, "video", "10-second World's Fair ad, crossfaded keyframes")
    run.metric("frames", len(frames))
    run.metric("seconds_per_frame", run.elapsed("execute") / len(frames))
    run.passed(f"{len(frames)} frame(s) generated on {mesh_name() or 'the device'}; 10 s video stitched")
