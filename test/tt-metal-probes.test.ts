import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../src/schemas/outcome.js';
import { cleanEnv, cli, FIXTURES, onlyRunDir, readRecord, SNAPSHOTS, tempDir, VENV_PYTHON } from './helpers.js';

/**
 * The tt-metal probes end to end through the CLI, on a fake ttnn (fixtures/fake-ttnn) and fake
 * TT_METAL_HOME trees in tt-metal's current and legacy layouts (fixtures/fake-tt-metal).
 * The probe interpreter needs pytest (requirements-cpu.txt); TTPROBE_TEST_PYTHON names another one.
 */
const PYTHON = process.env.TTPROBE_TEST_PYTHON ?? VENV_PYTHON;
const FAKE_TTNN = path.join(FIXTURES, 'fake-ttnn');
const CHIPS = { n150: 1, p150: 1, t3k: 8, galaxy: 32 } as const;
type Tier = keyof typeof CHIPS;

/** A private copy of a fake tt-metal checkout, so a test may add files to it. */
function metalHome(layout: 'current' | 'legacy'): string {
  const home = path.join(tempDir('ttprobe-metal-home-'), 'tt-metal');
  cpSync(path.join(FIXTURES, 'fake-tt-metal', layout), home, { recursive: true });
  return home;
}

async function runMetal(probe: string, tier: Tier, home: string, extraEnv: NodeJS.ProcessEnv = {}, args: string[] = []) {
  const runsDir = tempDir();
  const env = cleanEnv({ PYTHONPATH: FAKE_TTNN, FAKE_TTNN_NUM_DEVICES: String(CHIPS[tier]), ...extraEnv });
  env.TT_METAL_HOME = home; // after cleanEnv, which clears it
  delete env.MESH_DEVICE; // the runner sets it from the tier
  const r = await cli(['run', '--probe', probe, '--target', 'tt', '--snapshot', path.join(SNAPSHOTS, `${tier}.json`),
    '--runs-dir', runsDir, '--python', PYTHON, '--no-report', ...args], env);
  expect(r.exitCode, r.stderr).toBe(0);
  const runDir = onlyRunDir(runsDir);
  const outcome: Outcome = readRecord(runDir).outcomes[0]!;
  return { runDir, outcome, details: outcome.result?.details ?? {} };
}

const TIMEOUT = 240_000;

describe('tt-metal demo probes pick the one test they mean, run it from TT_METAL_HOME and read placement', () => {
  it('ResNet-50 (current layout, N150): test_demo_sample from the vision/classification demo, on the mesh it read back from', async () => {
    const home = metalHome('current');
    const { outcome, details } = await runMetal('resnet-tt-metal', 'n150', home);
    expect(outcome.status, outcome.reason).toBe('pass');
    // The dataset tests raise at once in the fake demo: only test_demo_sample ran, from the repo root
    // (the demo opens its images by a path relative to it).
    expect(details.test).toMatch(/^models\/demos\/vision\/classification\/resnet50\/wormhole\/demo\/demo\.py::test_demo_sample\[16-/);
    expect(String(details.command)).toContain(`cd ${home} && `);
    expect(outcome.result!.placement).toEqual({ platform: 'tt', device: 'ttnn mesh 1x1 (chip ids 0, WORMHOLE_B0)' });
    expect(details.chips).toBe("every chip the system has (the demo's mesh_device default)");
  }, TIMEOUT);

  it('ResNet-50 on a P150 takes the Blackhole demo, and --size full its largest batch', async () => {
    const { outcome, details } = await runMetal('resnet-tt-metal', 'p150', metalHome('current'), {}, ['--size', 'full']);
    expect(outcome.status, outcome.reason).toBe('pass');
    expect(details.test).toMatch(/^models\/demos\/vision\/classification\/resnet50\/blackhole\/demo\/demo\.py::test_demo_sample\[32-/);
    expect(outcome.result!.placement!.device).toContain('BLACKHOLE');
  }, TIMEOUT);

  it('ResNet-50 (legacy layout) finds models/demos/wormhole/resnet50 and its one-chip device fixture', async () => {
    const { outcome, details } = await runMetal('resnet-tt-metal', 'n150', metalHome('legacy'));
    expect(outcome.status, outcome.reason).toBe('pass');
    expect(details.test).toMatch(/^models\/demos\/wormhole\/resnet50\/demo\/demo\.py::test_demo_sample\[16-/);
    expect(details.chips).toBe("1 (the demo's device fixture)");
    expect(outcome.result!.placement).toEqual({ platform: 'tt', device: 'ttnn device (chip ids 0, WORMHOLE_B0)' });
  }, TIMEOUT);

  it('ResNet-50 on 8 or more chips runs models/demos/ttnn_resnet/tests/test_demo.py::test_demo_sample, where the Wormhole demo points', async () => {
    for (const tier of ['t3k', 'galaxy'] as const) {
      const { outcome, details } = await runMetal('resnet-tt-metal', tier, metalHome('current'));
      expect(outcome.status, outcome.reason).toBe('pass');
      expect(details.test).toMatch(/^models\/demos\/ttnn_resnet\/tests\/test_demo\.py::test_demo_sample\[16-/);
      expect(details.chips).toBe("every chip the system has (the demo's mesh_device default)");
    }
  }, TIMEOUT);

  it('a test that skips itself (ResNet-50 on a T3K, a checkout without ttnn_resnet/tests) is a skip with its own reason, read from the JUnit report', async () => {
    const home = metalHome('current');
    rmSync(path.join(home, 'models', 'demos', 'ttnn_resnet', 'tests'), { recursive: true });
    const { outcome } = await runMetal('resnet-tt-metal', 't3k', home);
    expect(outcome.status).toBe('skip');
    expect(outcome.reason).toMatch(/test_demo_sample\[16-.*\] skipped: 1- and 2-chip ResNet-50 test; the 8-chip variant lives in ttnn_resnet\/tests\//);
  }, TIMEOUT);

  it('BERT (legacy metal_BERT_large_11): batch_7 at tiny, batch_12 at full; output read back through Tensor.cpu()', async () => {
    const home = metalHome('legacy');
    const tiny = await runMetal('bert-tt-metal', 'n150', home);
    expect(tiny.outcome.status, tiny.outcome.reason).toBe('pass');
    expect(tiny.details.test).toBe('models/demos/metal_BERT_large_11/demo/demo.py::test_demo[models/demos/metal_BERT_large_11/demo/input_data.json-1-batch_7]');
    expect(tiny.details.readbacks).toEqual({ device: 1, host: 1 });
    const full = await runMetal('bert-tt-metal', 'n150', home, {}, ['--size', 'full']);
    expect(full.details.test).toMatch(/::test_demo\[.*-batch_12\]$/);
  }, TIMEOUT);

  it('BERT tiny chooses its batch inside the demo: --size has no effect there, and the result says so', async () => {
    const { outcome, details } = await runMetal('bert-tt-metal', 'n150', metalHome('current'), {}, ['--size', 'full']);
    expect(outcome.status, outcome.reason).toBe('pass');
    expect(details.test).toMatch(/^models\/demos\/wormhole\/bert_tiny\/demo\/demo\.py::test_demo\[/);
    expect(details.size_effect).toBe('--size full has no effect: models/demos/wormhole/bert_tiny/demo/demo.py::test_demo has no batch parameter (the demo chooses its batch itself)');
    // Where the demo lists batches, --size picks one and nothing is said.
    const legacy = await runMetal('bert-tt-metal', 'n150', metalHome('legacy'), {}, ['--size', 'full']);
    expect(legacy.details.size_effect).toBeUndefined();
  }, TIMEOUT);

  it('a demo whose tensors never reached the device is cpu-fallback, never a pass', async () => {
    const { outcome, details } = await runMetal('bert-tt-metal', 'n150', metalHome('current'), { FAKE_TTNN_HOST_ONLY: '1' });
    expect(details.test).toMatch(/^models\/demos\/wormhole\/bert_tiny\/demo\/demo\.py::test_demo\[/);
    expect(outcome.status).toBe('cpu-fallback');
    expect(outcome.result!.placement!.platform).toBe('cpu');
  }, TIMEOUT);

  it('a demo that passes without reading any tensor back is a failure: placement is read, not assumed', async () => {
    const home = metalHome('current');
    const demo = path.join(home, 'models/demos/wormhole/bert_tiny/demo/demo.py');
    writeFileSync(demo, readFileSync(demo, 'utf8').replace(/logits = classify\(mesh_device, 8\)\n.*\n/, 'print("nothing computed")\n'));
    const { outcome } = await runMetal('bert-tt-metal', 'n150', home);
    expect(outcome.status).toBe('fail');
    expect(outcome.reason).toContain('passed but read no ttnn tensor back to the host');
  }, TIMEOUT);

  it('a checkout without the demo is a skip naming every path looked for', async () => {
    const home = tempDir('ttprobe-empty-metal-');
    const { outcome } = await runMetal('bert-tt-metal', 'n150', home);
    expect(outcome.status).toBe('skip');
    expect(outcome.reason).toContain('models/demos/wormhole/bert_tiny/demo/demo.py, models/demos/bert_tiny/demo/demo.py, models/demos/metal_BERT_large_11/demo/demo.py');
  }, TIMEOUT);
});

async function videoSeconds(file: string): Promise<number> {
  const { stdout } = await execa('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

function pngsIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.png'));
}

describe('sd35-tt-metal: mesh from the tier, prompts on stdin, this attempt\'s frames, the 10 s video', () => {
  it('on a T3K runs the untraced 2x4 test of the current layout (no use_cache, no skip mark), feeds the prompts and stitches what it saved', async () => {
    const home = metalHome('current');
    const { runDir, outcome, details } = await runMetal('sd35-tt-metal', 't3k', home);
    expect(outcome.status, outcome.reason).toBe('pass');
    // Upstream's current file has neither a use_cache parameter nor a skip mark (those were the older
    // models/experimental/tt_dit file's): the probe takes the first 2x4 mesh, untraced.
    expect(details.test).toBe('models/tt_dit/tests/models/sd35/test_pipeline_sd35.py::test_sd35_pipeline[no_traced-device_params0-2x4cfg1sp0tp1-large-64-48-3.5-28-False]');
    expect(Object.keys(details.params as object)).not.toContain('use_cache');
    expect(outcome.result!.placement).toEqual({ platform: 'tt', device: 'ttnn mesh 2x4 (chip ids 0, 1, 2, 3, 4, 5, 6, 7, WORMHOLE_B0)' });
    const stdout = readFileSync(path.join(runDir, 'probes', 'sd35-tt-metal', 'stdout.log'), 'utf8');
    expect(stdout.match(/Enter the input prompt, or q to exit:/g)).toHaveLength(4);
    const images = outcome.result!.artifacts.filter((a) => a.kind === 'image').map((a) => a.path);
    expect(images.map((p) => path.basename(p))).toEqual(['001-sd35_new_64_48_0.png', '002-sd35_new_64_48_1.png', '003-sd35_new_64_48_2.png']);
    const out = path.join(runDir, 'probes', 'sd35-tt-metal', 'out');
    expect(await videoSeconds(path.join(out, 'worldsfair.mp4'))).toBeCloseTo(10, 1);
    expect(outcome.result!.metrics.frames).toBe(3);
    expect(pngsIn(home)).toEqual([]);
  }, TIMEOUT);

  it('on a Galaxy takes the 4x8 mesh; on an N150 it is a skip naming the meshes the demo lists', async () => {
    const galaxy = await runMetal('sd35-tt-metal', 'galaxy', metalHome('current'), { TTPROBE_SD35_MODE: 'single' });
    expect(galaxy.outcome.status, galaxy.outcome.reason).toBe('pass');
    expect(galaxy.details.test).toMatch(/-4x8cfg1sp0tp1-.*-True\]$/);
    expect(galaxy.outcome.result!.metrics.frames).toBe(1);
    const n150 = await runMetal('sd35-tt-metal', 'n150', metalHome('current'));
    expect(n150.outcome.status).toBe('skip');
    expect(n150.outcome.reason).toBe('SD 3.5 Large on tt-metal lists only meshes 2x4, 4x8; this system is MESH_DEVICE=N150 and the run wants 1 chip(s)');
  }, TIMEOUT);

  it('legacy stable_diffusion_35_large/fun_demo.py saves every image under one name; each still becomes a frame', async () => {
    const { runDir, outcome, details } = await runMetal('sd35-tt-metal', 't3k', metalHome('legacy'), {}, ['--size', 'full']);
    expect(outcome.status, outcome.reason).toBe('pass');
    expect(details.test).toMatch(/^models\/experimental\/stable_diffusion_35_large\/fun_demo\.py::test_sd3\[no_traced-device_params0-t3k_cfg2_sp2_tp2-/);
    const images = outcome.result!.artifacts.filter((a) => a.kind === 'image').map((a) => path.basename(a.path));
    expect(images).toHaveLength(10);
    expect(images[9]).toBe('010-sd35_48_32.png');
    expect(await videoSeconds(path.join(runDir, 'probes', 'sd35-tt-metal', 'out', 'worldsfair.mp4'))).toBeCloseTo(10, 1);
  }, TIMEOUT);

  it('frames from an earlier attempt, or lying in the checkout, never count', async () => {
    const home = metalHome('current');
    // PNGs named as the demo names its images, left in the checkout by some earlier run.
    const stale = ['sd35_new_64_48_0.png', 'sd35_new_64_48_1.png', 'sd35_new_64_48_2.png', 'sd35_new_64_48_3.png'];
    for (const name of stale) writeFileSync(path.join(home, name), 'stale');
    const state = tempDir('ttprobe-fake-demo-state-');
    mkdirSync(state, { recursive: true });
    // Attempt 1 saves two images, then the device times out; attempt 2 makes all three.
    const { runDir, outcome } = await runMetal('sd35-tt-metal', 't3k', home, { FAKE_DEMO_STATE_DIR: state, FAKE_SD35_FAIL_ATTEMPT: '1' }, ['--retries', '1']);
    expect(outcome.status, outcome.reason).toBe('pass');
    expect(outcome.attempts.map((a) => a.status)).toEqual(['fail']);
    expect(pngsIn(path.join(runDir, 'probes', 'sd35-tt-metal', 'out'))).toHaveLength(2);
    expect(outcome.result!.metrics.frames).toBe(3);
    const images = outcome.result!.artifacts.filter((a) => a.kind === 'image');
    expect(images).toHaveLength(3);
    const out = path.join(runDir, 'probes', 'sd35-tt-metal.attempt2', 'out');
    for (const image of images) {
      expect(statSync(path.join(out, image.path)).size).toBeGreaterThan(100);
    }
    for (const name of stale) expect(readFileSync(path.join(home, name), 'utf8')).toBe('stale');
    expect(existsSync(path.join(out, 'worldsfair.mp4'))).toBe(true);
  }, TIMEOUT);
});
