"""Stitch generated frames into a fixed-length H.264 video with crossfades between keyframes (ffmpeg)."""

from __future__ import annotations

import shutil
import subprocess


def crossfade_plan(frames: int, duration: float, fade: float) -> tuple[float, float, list[float]]:
    """Clip length, fade length and crossfade start times so that the whole lasts `duration`.

    n clips of length s with n-1 overlaps of `fade` last n*s - (n-1)*fade seconds.
    """
    if frames < 1:
        raise ValueError("need at least one frame")
    if frames == 1:
        return duration, 0.0, []
    fade = min(fade, duration / frames)
    clip = (duration + (frames - 1) * fade) / frames
    return clip, fade, [round((i + 1) * (clip - fade), 6) for i in range(frames - 1)]


def _even_size(frame: str) -> tuple[int, int]:
    from PIL import Image

    with Image.open(frame) as image:
        width, height = image.size
    return width - width % 2, height - height % 2


def stitch_video(frames: list[str], output: str, duration: float = 10.0, fps: int = 24, fade: float = 0.5,
                 ffmpeg: str | None = None) -> list[str]:
    """Write `output` (MP4, H.264, yuv420p) from `frames`; returns the ffmpeg command that ran."""
    ffmpeg = ffmpeg or shutil.which("ffmpeg")
    if not ffmpeg:
        raise FileNotFoundError("ffmpeg not found on PATH (Debian: apt-get install ffmpeg)")
    clip, fade, offsets = crossfade_plan(len(frames), duration, fade)
    cmd = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y"]
    for frame in frames:
        cmd += ["-loop", "1", "-t", f"{clip:.6f}", "-i", frame]
    # xfade needs clips of one size and frame rate: every clip is scaled to the first frame's size
    # (rounded to even numbers, as yuv420p requires).
    width, height = _even_size(frames[0])
    parts = [f"[{i}:v]scale={width}:{height},setsar=1,fps={fps},format=yuv420p[s{i}]" for i in range(len(frames))]
    last = "s0"
    for i, offset in enumerate(offsets, start=1):
        parts.append(f"[{last}][s{i}]xfade=transition=fade:duration={fade:.6f}:offset={offset:.6f}[x{i}]")
        last = f"x{i}"
    cmd += ["-filter_complex", ";".join(parts), "-map", f"[{last}]", "-t", f"{duration:.6f}", "-r", str(fps),
            "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "+faststart", output]
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL)
    return cmd
