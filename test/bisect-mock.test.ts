import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, readRecord, ROOT, tempDir, writeInlineProbe } from './helpers.js';

/** The real TT-XLA stack's interpreter (scripts/setup.sh makes it): jax 0.7.1 and jax-tt-plugin. */
const TT_PYTHON = path.join(ROOT, '.venv-tt-xla', 'bin', 'python');
const PKG = 'jax-tt-plugin';

/**
 * Compiles `jnp.linalg.cholesky` for the mock system through the real plugin and stops, as a probe
 * does under TTPROBE_MOCK. Measured on a mock P150 (2026-12-05): the exception of 0.1.0 says only
 * `INTERNAL: Error code: 13`, that of 0.1.3 `failed to legalize operation 'stablehlo.cholesky'`; but
 * both logs carry TT-MLIR's legalize diagnostic, so the verdict is the same for both releases.
 */
function writeCholeskyProbe(dir: string): void {
  writeInlineProbe(dir, 'mock-cholesky', { title: 'cholesky compiles for the mock system', stack: 'tt-xla', timeoutSeconds: 900, needsDevice: true }, [
    '    import jax, jax.numpy as jnp',
    '    run.versions_of("jax", "jax-tt-plugin")',
    '    run.stage("setup")',
    '    device = jax.devices("tt")[0]',
    '    run.stage("lower")',
    '    lowered = jax.jit(jnp.linalg.cholesky).lower(jax.ShapeDtypeStruct((4, 4), jnp.float32))',
    '    run.stage("compile")',
    '    lowered.compile()',
    '    run._data["placement"] = {"platform": device.platform, "device": str(device)}',
    '    run._write("compiled", message=f"cholesky compiled for {device}")',
  ]);
}

let installable: string | null = null;

// Skipped, saying why, where the real plugin's interpreter is absent (scripts/setup.sh makes .venv-tt-xla).
describe.skipIf(!existsSync(TT_PYTHON))(`bisect ${PKG} on a mock P150 (needs ${TT_PYTHON} with jax 0.7.1, and the registry for ${PKG} 0.1.0-0.1.3)`, () => {
  beforeAll(async () => {
    // The wheels are 83 MB each; pip's cache keeps them. No registry, no test: say so.
    const r = await execa(TT_PYTHON, ['-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check', '-d', tempDir('ttprobe-wheel-'), `${PKG}==0.1.0`], { reject: false, all: true });
    installable = r.exitCode === 0 ? null : `cannot download ${PKG}==0.1.0 from the package registry: ${(r.all ?? '').trim().split('\n').at(-1)}`;
  });

  it('detection opens the mock P150 through the real plugin and leaves nothing in the working directory', async () => {
    const cwd = tempDir('ttprobe-cwd-');
    const probes = tempDir('ttprobe-probes-');
    writeCholeskyProbe(probes);
    const runs = tempDir();
    const r = await cli(['run', '--mock', 'p150', '--probes-dir', probes, '--runs-dir', runs, '--python', `tt-xla=${TT_PYTHON}`, '--no-report'], cleanEnv(), cwd);
    const record = readRecord(path.join(runs, readdirSync(runs)[0]!));
    expect(record.device.mock).toMatchObject({ tier: 'p150', source: 'shipped' });
    expect(record.outcomes[0]).toMatchObject({ status: 'fail', category: 'unsupported-op', details: { op: 'stablehlo.cholesky' } });
    // tt-metal writes generated/fabric/*.yaml where it runs: detection runs in a folder of its own.
    expect(readdirSync(cwd)).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it('runs each release through the real plugin on the mock and reads the same verdict where only the message changed', async (ctx) => {
    if (installable) ctx.skip(installable);
    const probes = tempDir('ttprobe-probes-');
    writeCholeskyProbe(probes);
    const runs = tempDir();
    const r = await cli([
      'bisect', '--package', PKG, '--good', '0.1.0', '--bad', '0.1.3', '--probe', 'mock-cholesky', '--mock', 'p150',
      '--probes-dir', probes, '--runs-dir', runs, '--cache-dir', tempDir('ttprobe-venvs-'), '--python', TT_PYTHON,
    ], cleanEnv());
    expect(r.stdout).toContain('mock system: p150 from');
    expect(r.stdout).toContain('0.1.3 gives the same verdict as 0.1.0: nothing to bisect');
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    const runDirOf = (version: string) => {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`${version} (`));
      const at = r.stdout.split('\n').indexOf(line!);
      return r.stdout.split('\n')[at + 1]!.trim();
    };
    const good = readRecord(runDirOf('0.1.0'));
    const bad = readRecord(runDirOf('0.1.3'));
    for (const record of [good, bad]) {
      expect(record.device.mock).toMatchObject({ tier: 'p150', source: 'shipped' });
      expect(record.fingerprint.tier).toBe('p150-mock');
    }
    expect(good.outcomes[0]!.result?.versions['jax-tt-plugin']).toBe('0.1.0');
    expect(bad.outcomes[0]!.result?.versions['jax-tt-plugin']).toBe('0.1.3');
    for (const record of [good, bad]) {
      expect(record.outcomes[0]).toMatchObject({ status: 'fail', category: 'unsupported-op', details: { op: 'stablehlo.cholesky' } });
      expect(record.outcomes[0]!.stages?.failedAt).toBe('compile');
    }
    // What changed between the releases is the message, not the verdict.
    expect(good.outcomes[0]!.result?.message).toBe('XlaRuntimeError: INTERNAL: Error code: 13');
    expect(bad.outcomes[0]!.result?.message).toContain("failed to legalize operation 'stablehlo.cholesky'");
  });
});
