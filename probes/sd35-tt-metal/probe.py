"""tt-metal Stable Diffusion 3.5 Large over the World's Fair prompts, then the 10-second video.

The demo reads prompts with input() unless NO_PROMPT=1. Prompt-set mode (the default) feeds it a
finite stdin, the prompts then "q", so it can never wait on a terminal; TTPROBE_SD35_MODE=single sets
NO_PROMPT=1 with stdin closed and makes the demo's one built-in image.
"""

import glob
import os
import tempfile

from ttprobe_probe import ProbeRun
from ttprobe_probe.metal import find_first, metal_home, require_tt_target, run_pytest
from ttprobe_probe.video import stitch_video

NEW_DEMO = "models/experimental/tt_dit/tests/models/sd35/test_pipeline_sd35.py"
OLD_DEMOS = ["models/experimental/stable_diffusion_35_large/**/test_*pipeline*.py",
             "models/experimental/stable_diffusion_35_large/**/test_*demo*.py"]
# The new demo lists only these meshes (test ids start with the mesh shape).
NEW_DEMO_MESHES = {"T3K": "2x4", "TG": "4x8", "GALAXY": "4x8"}
PROMPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "prompts", "worldsfair.txt")

with ProbeRun("sd35-tt-metal") as run:
    run.require("ttnn")
    home = metal_home(run)
    require_tt_target(run)
    run.versions_of("ttnn")
    mesh = os.environ.get("MESH_DEVICE", "")
    demo = find_first(home, [NEW_DEMO])
    k = None
    if demo:
        shape = NEW_DEMO_MESHES.get(mesh.upper())
        if not shape:
            run.skip(f"SD 3.5 Large on tt-metal needs an 8-chip T3K (2x4 mesh) or a 32-chip Galaxy (4x8 mesh); "
                     f"this system is MESH_DEVICE={mesh or 'unset'}")
        k = f"{shape}cfg1 and yes_use_cache and no_traced"
    else:
        demo = find_first(home, OLD_DEMOS)
    if not demo:
        run.skip(f"no SD 3.5 demo in {home} (looked for {NEW_DEMO} and models/experimental/stable_diffusion_35_large/)")

    single = os.environ.get("TTPROBE_SD35_MODE") == "single"
    prompts = [line.strip() for line in open(PROMPTS, encoding="utf-8") if line.strip()]
    run.detail("demo", os.path.relpath(demo, home))
    run.stage("setup")
    run.detail("mode", "single (NO_PROMPT=1)" if single else f"{len(prompts)} World's Fair prompts")
    env = {"NO_PROMPT": "1"} if single else {"NO_PROMPT": "0"}
    stdin_file = None
    if not single:
        stdin_file = os.path.join(tempfile.mkdtemp(), "prompts.txt")
        with open(stdin_file, "w", encoding="utf-8") as handle:
            handle.write("\n".join(prompts + ["q"]) + "\n")
    with run.timer("execute"):
        run_pytest(run, home, demo, k=k, env=env, stdin_file=stdin_file)

    frames = sorted(glob.glob(os.path.join(run.output_dir, "*.png")), key=os.path.getmtime)
    if not frames:
        raise RuntimeError("the SD 3.5 demo finished but wrote no PNG frames")
    for frame in frames:
        run.artifact(frame, "image", "generated frame")
    video = os.path.join(run.output_dir, "worldsfair.mp4")
    with run.timer("stitch"):
        stitch_video(frames, video, duration=10.0)
    run.artifact(video, "video", "10-second World's Fair ad, crossfaded keyframes")
    run.placement("tt", f"tt-metal mesh {mesh or 'default'}")
    run.metric("frames", len(frames))
    run.metric("seconds_per_frame", run.elapsed("execute") / len(frames))
    run.passed(f"{len(frames)} frame(s) generated on {mesh or 'the device'}; 10 s video stitched")
