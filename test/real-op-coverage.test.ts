import { describe, expect, it } from 'vitest';
import { XLA_PYTHON, cleanEnv, cli, onlyRunDir, readRecord, tempDir, whyNoRealTtXla } from './helpers.js';

const skipReason = whyNoRealTtXla();
if (skipReason) console.warn(`SKIPPED: the real TT-XLA compiler tests: ${skipReason}`);

describe.skipIf(skipReason !== null)('op-coverage through the real TT-XLA compiler on a mock P150', () => {
  it('compiles the op families TT-MLIR legalizes and names each op it cannot', async () => {
    const runsDir = tempDir();
    const run = await cli(['run', '--mock', 'p150', '--probe', 'op-coverage', '--runs-dir', runsDir, '--python', `tt-xla=${XLA_PYTHON}`],
      cleanEnv({ TTPROBE_OP_FAMILIES: 'dot_general,reduce_window,sort,cholesky,custom_call_qr' }));
    expect(run.exitCode, run.stderr).toBe(0);
    const [o] = readRecord(onlyRunDir(runsDir)).outcomes;
    const byFamily = new Map(o.opVerdicts.map((v) => [v.family, v]));
    for (const family of ['dot_general', 'reduce_window', 'sort']) {
      expect(byFamily.get(family), `${family}: ${byFamily.get(family)?.reason}`).toMatchObject({ status: 'compiled', category: null });
    }
    expect(byFamily.get('cholesky')).toMatchObject({ status: 'fail', category: 'unsupported-op', failingOp: 'stablehlo.cholesky' });
    expect(byFamily.get('custom_call_qr')).toMatchObject({ status: 'fail', category: 'unsupported-op', failingOp: 'stablehlo.custom_call' });
    // The probe's own verdict is read from the compiler's message, never a numerical mismatch.
    expect(o.status).toBe('fail');
    expect(o.category).toBe('unsupported-op');
    expect(o.result?.placement?.platform).toBe('tt');
  });
});
