import { readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT, VENV_PYTHON, tempDir } from './helpers.js';

const STITCH = String.raw`
import sys
from PIL import Image, ImageDraw
from ttprobe_probe.video import stitch_video
out = sys.argv[1]
frames = []
for i in range(10):
    image = Image.new("RGB", (320, 240), (25 * i, 80, 255 - 25 * i))
    ImageDraw.Draw(image).text((20, 20), f"frame {i}", fill=(255, 255, 255))
    path = f"{out}/frame{i:02d}.png"
    image.save(path)
    frames.append(path)
stitch_video(frames, f"{out}/worldsfair.mp4", duration=10.0, fps=24, fade=0.5)
`;

describe("the World's Fair video stitching", () => {
  it('makes a 10-second H.264 yuv420p MP4 of 240 frames from 10 keyframes', async () => {
    const out = tempDir();
    await execa(VENV_PYTHON, ['-c', STITCH, out], { env: { ...process.env, PYTHONPATH: path.join(ROOT, 'probes', 'lib') } });
    expect(readdirSync(out)).toContain('worldsfair.mp4');
    const { stdout } = await execa('ffprobe', [
      '-v', 'error', '-count_frames', '-select_streams', 'v:0',
      '-show_entries', 'stream=codec_name,pix_fmt,nb_read_frames,width,height:format=duration', '-of', 'json',
      path.join(out, 'worldsfair.mp4'),
    ]);
    const info = JSON.parse(stdout) as { streams: Array<Record<string, string | number>>; format: { duration: string } };
    expect(info.streams[0]).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 320, height: 240 });
    expect(Number(info.streams[0]!.nb_read_frames)).toBe(240);
    expect(Number(info.format.duration)).toBeCloseTo(10, 1);
  });

  it('plans crossfades so that the whole lasts exactly the duration', async () => {
    const { stdout } = await execa(VENV_PYTHON, ['-c', 'from ttprobe_probe.video import crossfade_plan as p; print(p(10, 10.0, 0.5)); print(p(1, 10.0, 0.5))'], {
      env: { ...process.env, PYTHONPATH: path.join(ROOT, 'probes', 'lib') },
    });
    const [many, one] = stdout.trim().split('\n');
    const [clip, fade, offsets] = JSON.parse(many!.replace(/\(/g, '[').replace(/\)/g, ']')) as [number, number, number[]];
    expect(10 * clip - 9 * fade).toBeCloseTo(10, 6);
    expect(offsets).toHaveLength(9);
    expect(one).toBe('(10.0, 0.0, [])');
  });
});
