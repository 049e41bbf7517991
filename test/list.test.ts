import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ROOT, cli } from './helpers.js';

const PROBES = path.join(ROOT, 'probes');

describe('ttprobe list: what a run would run, without running it', () => {
  it('lists every probe with its stack, workload and tags, and the stacks and tags there are', async () => {
    const r = await cli(['list', '--probes-dir', PROBES]);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`12 of 12 probe(s) in ${PROBES} selected (no filters)`);
    expect(lines[1]).toMatch(/^ID +STACK +WORKLOAD +DEVICE +TAGS +TITLE$/);
    expect(r.stdout).toMatch(/\njax-dot +tt-xla +matmul +yes +smoke, jax +JAX dot product and matmul\n/);
    expect(r.stdout).toContain('Stacks: tt-xla (7), tt-metal (5)');
    expect(r.stdout).toMatch(/Tags: as-user \(1\), compiler \(1\), diffusion \(3\), .*smoke \(2\)/);
  });

  it('shows what each filter selects and what they select together, as a dry run of `run`', async () => {
    const r = await cli(['list', '--probes-dir', PROBES, '--stack', 'tt-metal', '--tag', 'smoke']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`1 of 12 probe(s) in ${PROBES} selected (--stack tt-metal --tag smoke)`);
    expect(r.stdout).toContain('--stack tt-metal: 5 probe(s)');
    expect(r.stdout).toContain('--tag smoke: 2 probe(s)');
    expect(r.stdout).toMatch(/\nttmetal-matmul +tt-metal/);
    expect(r.stdout).not.toMatch(/\njax-dot /);
  });

  it('says when filters select nothing (exit 0: it is a dry run), and refuses a typo like run does', async () => {
    const none = await cli(['list', '--probes-dir', PROBES, '--stack', 'tt-metal', '--probe', 'jax-dot']);
    expect(none.exitCode).toBe(0);
    expect(none.stdout).toContain('0 of 12 probe(s)');
    expect(none.stdout).toContain('a run with these filters would be refused');
    const typo = await cli(['list', '--probes-dir', PROBES, '--tag', 'smoek']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain("unknown tag 'smoek' (did you mean smoke?)");
  });

  it('prints JSON valid against its exported schema, shard included', async () => {
    const r = await cli(['list', '--probes-dir', PROBES, '--shard', '1/3', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'probe-list.schema.json'), 'utf8')));
    expect(validate(list), JSON.stringify(validate.errors)).toBe(true);
    expect(list.total).toBe(12);
    expect(list.selected.map((p: { id: string }) => p.id)).toEqual(['bert-flax', 'dalle-mini', 'resnet-tt-metal', 'sd35-tt-metal']);
    expect(list.stacks).toEqual({ 'tt-xla': 7, 'tt-metal': 5 });
  });
});
