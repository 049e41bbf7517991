import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProbes } from './load.js';
import { ROOT, tempDir } from '../../test/helpers.js';

function probesDirWith(manifest: unknown, id = 'p1'): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, id));
  writeFileSync(path.join(dir, id, 'probe.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}

const valid = { id: 'p1', title: 'T', stack: 'tt-xla', workload: 'matmul', command: ['python', 'probe.py'] };

describe('probe manifests', () => {
  it('loads every shipped probe with defaults applied', async () => {
    const probes = await loadProbes(path.join(ROOT, 'probes'));
    expect(probes.map((p) => p.id)).toEqual(
      expect.arrayContaining(['jax-dot', 'sd-flax', 'bert-flax', 'cnn-flax', 'dalle-mini', 'ttmetal-matmul', 'sd35-tt-metal']),
    );
    for (const p of probes) expect(p.timeoutSeconds).toBeGreaterThan(0);
    // Every workload has a probe on both stacks, except DALL-E mini which tt-metal has no demo for.
    const stacksOf = (w: string) => new Set(probes.filter((p) => p.workload === w).map((p) => p.stack));
    for (const w of ['matmul', 'image-diffusion', 'text-encoder', 'cnn']) expect(stacksOf(w)).toEqual(new Set(['tt-xla', 'tt-metal']));
  });

  it('fills defaults', async () => {
    const [p] = await loadProbes(probesDirWith(valid));
    expect(p).toMatchObject({ timeoutSeconds: 300, needsDevice: true, tags: [], requires: { modules: [], env: [] } });
  });

  it.each([
    [{ ...valid, stack: 'pytorch' }, "'stack'"],
    [{ ...valid, colour: 'red' }, "'colour' is not a known field"],
    [{ ...valid, command: [] }, "'command'"],
    [{ ...valid, timeoutSeconds: -1 }, "'timeoutSeconds'"],
    [(({ title: _t, ...rest }) => rest)(valid), "'title' is required"],
    [{ ...valid, id: 'Bad/Id' }, "'id'"],
    [{ ...valid, id: 'other' }, "field 'id': must equal its folder name 'p1'"],
  ])('names the file and field of an authoring error (%#)', async (manifest, message) => {
    const dir = probesDirWith(manifest);
    const error = await loadProbes(dir).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(path.join(dir, 'p1', 'probe.json'));
    expect((error as Error).message).toContain(message);
  });

  it('names the file of invalid JSON', async () => {
    const dir = probesDirWith('{"id": ');
    await expect(loadProbes(dir)).rejects.toThrow(/p1\/probe\.json: not valid JSON/);
  });
});
