import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../src/classify/catalog.js';
import { runMatrix } from '../src/run/orchestrate/run-matrix.js';
import type { Outcome } from '../src/schemas/outcome.js';
import { RunRecord } from '../src/schemas/run-record.js';
import { cleanEnv, FAKE_PJRT, fakeDevice, readRecord, ROOT, tempDir, VENV_PYTHON } from './helpers.js';

let catalog: LoadedCatalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

/** Each probe through the real runner, as `ttprobe run --probe ID` would run it. */
async function runProbe(id: string, target: 'cpu' | 'tt' = 'cpu', devices = 1, env = cleanEnv()): Promise<Outcome> {
  const runsDir = tempDir();
  const { runDir, record } = await runMatrix({
    probesDir: path.join(ROOT, 'probes'),
    runsDir,
    python: VENV_PYTHON,
    device: fakeDevice(target),
    catalog,
    devices,
    filters: { probe: [id], stack: [], tag: [] },
    env,
    lockDir: tempDir(),
  });
  expect(() => readRecord(runDir)).not.toThrow();
  expect(record.outcomes).toHaveLength(1);
  return record.outcomes[0]!;
}

describe('the probe matrix on the CPU, at tiny size', () => {
  it('jax-dot computes 32.0 and a matmul on the CPU, matching numpy', async () => {
    const o = await runProbe('jax-dot');
    expect(o).toMatchObject({ status: 'pass', workload: 'matmul', stack: 'tt-xla' });
    expect(o.result!.placement).toEqual({ platform: 'cpu', device: 'TFRT_CPU_0' });
    expect(o.result!.metrics.dot).toBe(32);
    expect(o.result!.censusPhases.find((p) => p.phase === 'workload')!.modules.map((m) => m.name)).toEqual(['jit_dot', 'jit__lambda']);
    expect(o.result!.census['stablehlo.dot_general']).toBe(2);
    expect(o.result!.timings.compile_s).toBeGreaterThan(0);
    expect(o.result!.timings.execute_s).toBeGreaterThan(0);
  });

  it('cnn-flax passes and its census predicts the reduce_window failure on TT-XLA, in setup and workload', async () => {
    const o = await runProbe('cnn-flax');
    expect(o.status).toBe('pass');
    const workload = o.result!.censusPhases.find((p) => p.phase === 'workload')!;
    expect(workload.modules.map((m) => m.name)).toEqual(['jit_apply']);
    expect(workload.modules[0]!.ops['stablehlo.reduce_window']).toBe(2);
    expect(workload.modules[0]!.ops['stablehlo.convolution']).toBe(2);
    // model.init runs the forward pass eagerly: one max_pool module per input shape, on the host CPU.
    expect(o.predicted).toEqual([
      { op: 'stablehlo.reduce_window', ruleId: 'stablehlo-reduce-window-legalize', count: 2, phase: 'setup', placement: 'cpu', modules: expect.any(Array), confirmed: null, basis: 'catalog', evidence: null },
      { op: 'stablehlo.reduce_window', ruleId: 'stablehlo-reduce-window-legalize', count: 2, phase: 'workload', placement: 'target', modules: ['jit_apply'], confirmed: null, basis: 'catalog', evidence: null },
    ]);
    // The op-by-op CPU reference is in the census but predicts nothing: it never runs on the target.
    expect(o.result!.censusPhases.find((p) => p.phase === 'reference')!.placement).toBe('cpu');
    expect(o.result!.metrics.logits_mean_abs).toBeGreaterThan(0);
  });

  it('cnn-flax loads weights from a local path instead of random initialisation', async () => {
    const file = path.join(tempDir(), 'cnn.msgpack');
    const SAVE = String.raw`
import sys, jax, jax.numpy as jnp, flax.linen as nn
from flax import serialization
class CNN(nn.Module):
    @nn.compact
    def __call__(self, x):
        for f in (8, 16):
            x = nn.max_pool(nn.relu(nn.Conv(f, (3, 3), padding="SAME")(x)), (2, 2), strides=(2, 2))
        return nn.Dense(10)(x.reshape((x.shape[0], -1)))
params = CNN().init(jax.random.PRNGKey(1), jnp.zeros((1, 28, 28, 3)))
zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
open(sys.argv[1], "wb").write(serialization.to_bytes(zeros))
`;
    await execa(VENV_PYTHON, ['-c', SAVE, file]);
    const withWeights = await runProbe('cnn-flax', 'cpu', 1, cleanEnv({ TTPROBE_WEIGHTS: file }));
    expect(withWeights.status).toBe('pass');
    expect(withWeights.result!.details.weights).toBe(file);
    expect(withWeights.result!.metrics.logits_mean_abs).toBe(0);
    const missing = await runProbe('cnn-flax', 'cpu', 1, cleanEnv({ TTPROBE_WEIGHTS: '/nonexistent/weights.msgpack' }));
    expect(missing.status).toBe('fail');
    expect(missing.reason).toContain('/nonexistent/weights.msgpack: no such file');
  });

  it('bert-flax classifies sequences, matching the CPU reference', async () => {
    const o = await runProbe('bert-flax');
    expect(o.status).toBe('pass');
    expect(o.result!.details.implementation).toBe('transformers.FlaxBertForSequenceClassification');
    expect(o.result!.census['stablehlo.dot_general']).toBeGreaterThan(0);
    expect(o.result!.metrics.logits_max_abs_err).toBeLessThan(0.05);
  });

  it('dalle-mini and the tt-metal probes skip, saying exactly what is missing', async () => {
    const dalle = await runProbe('dalle-mini');
    expect(dalle).toMatchObject({ status: 'skip', category: 'missing-dependency', started: true });
    expect(dalle.reason).toMatch(/^no DALL-E mini runs with the pinned stack: dalle-mini is not installed \(its latest release, 0\.1\.5, pins jax==0\.3\.25.*vqgan-jax \(the VQGAN decoder\) is not on PyPI.*tokenizer vocabulary.*weights are only on the model hub; ttprobe has no pass path for it$/);
    expect(dalle.result!.missing).toEqual(['dalle-mini for jax 0.7', 'vqgan-jax', 'DalleBart tokenizer vocabulary', 'DalleBart and VQGAN weights']);
    expect(await runProbe('ttmetal-matmul')).toMatchObject({ status: 'skip', reason: 'missing Python module(s): ttnn, torch' });
    for (const id of ['sd35-tt-metal', 'bert-tt-metal', 'resnet-tt-metal']) {
      expect(await runProbe(id)).toMatchObject({
        status: 'skip',
        reason: 'missing Python module(s): ttnn; environment variable(s) not set: TT_METAL_HOME',
      });
    }
  });

  it('shards the batch over 8 CPU devices with TTPROBE_DEVICES=8', async () => {
    const o = await runProbe('jax-dot', 'cpu', 8);
    expect(o.status).toBe('pass');
    expect(o.result!.placement!.device).toMatch(/^8 x cpu/);
    expect(o.result!.devicesSeen).toHaveLength(8);
  });

  it('calls a TT backend that is really the CPU a cpu-fallback, never a pass (fake plugin)', async () => {
    const o = await runProbe('jax-dot', 'tt', 1, cleanEnv({ PYTHONPATH: FAKE_PJRT }));
    expect(o).toMatchObject({ status: 'cpu-fallback', details: { platform: 'cpu' } });
    expect(o.reason).toBe('asked for tt, but the output lived on TFRT_CPU_0 (cpu)');
    expect(o.result!.metrics.dot).toBe(32);
  });

  it('does not pass when TT is asked for and JAX has no TT plugin: the stack is not installed, a skip as for tt-metal without ttnn', async () => {
    const o = await runProbe('jax-dot', 'tt');
    expect(o).toMatchObject({ status: 'skip', category: 'missing-dependency', details: { missing: 'the TT PJRT plugin (pjrt-plugin-tt or jax-tt-plugin)' } });
  });
});
