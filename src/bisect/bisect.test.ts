import { describe, expect, it } from 'vitest';
import { bisect, SkipVersion, stepsFor, type VersionVerdict } from './bisect.js';
import { versionsBetween } from './versions.js';

const verdict = (version: string, key: string | null): VersionVerdict => ({ version, key, text: key ?? 'flaky', runDirs: [] });

/** A test function over a table of verdicts; versions missing from it cannot be installed. */
function table(keys: Record<string, string | null>) {
  const tested: string[] = [];
  const test = async (v: string) => {
    tested.push(v);
    if (!(v in keys)) throw new SkipVersion(`no wheel for ${v}`);
    return verdict(v, keys[v]!);
  };
  return { test, tested };
}

describe('bisect', () => {
  const versions = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

  it('halves to the first version that differs, testing at most the promised steps', async () => {
    const { test, tested } = table(Object.fromEntries(versions.map((v) => [v, Number(v) < 6 ? 'pass' : 'fail'])));
    const r = await bisect(versions, test);
    expect(r).toMatchObject({ kind: 'culprit', lastGood: { version: '5' }, culprit: { version: '6' }, skippedBetween: [] });
    expect(tested.length - 2).toBeLessThanOrEqual(stepsFor(versions.length));
  });

  it('skips a version pip cannot install and names it when it lies next to the culprit', async () => {
    const keys: Record<string, string> = Object.fromEntries(versions.map((v) => [v, Number(v) < 6 ? 'pass' : 'fail']));
    delete keys['5'];
    const skipped: string[] = [];
    const r = await bisect(versions, table(keys).test, { skipped: (v) => skipped.push(v) });
    expect(r).toMatchObject({ kind: 'culprit', lastGood: { version: '4' }, culprit: { version: '6' }, skippedBetween: ['5'] });
    expect(skipped).toEqual(['5']);
  });

  it('a flaky version differs from a stable good one; a flaky good version stops the bisect', async () => {
    expect(await bisect(['1', '2', '3'], table({ 1: 'pass', 2: null, 3: 'fail' }).test)).toMatchObject({ kind: 'culprit', culprit: { version: '2', key: null } });
    expect(await bisect(['1', '2', '3'], table({ 1: null, 2: 'pass', 3: 'fail' }).test)).toMatchObject({ kind: 'good-flaky' });
    expect(await bisect(['1', '2', '3'], table({ 1: 'pass', 2: 'fail', 3: 'pass' }).test)).toMatchObject({ kind: 'no-change' });
  });

  it('orders the range from good to bad, also when good is the newer (bisecting a fix)', () => {
    const newestFirst = ['2.0', '1.2', '1.1', '1.0'];
    expect(versionsBetween(newestFirst, 'p', '1.0', '1.2')).toEqual(['1.0', '1.1', '1.2']);
    expect(versionsBetween(newestFirst, 'p', 'v2.0', '1.1')).toEqual(['2.0', '1.2', '1.1']);
    expect(() => versionsBetween(newestFirst, 'p', '1.0', '1.0')).toThrow('--good and --bad are the same version');
  });
});
