import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/errors.js';
import { DEFAULT_FAIL_ON, TransitionKind } from '../src/schemas/comparison.js';
import { ROOT } from './helpers.js';

const nightly = () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return readme.slice(readme.indexOf('## Nightly use'), readme.indexOf('\n## ', readme.indexOf('## Nightly use') + 1));
};

describe("README's nightly section", () => {
  it('has a row for every transition kind, saying which fail by default', () => {
    const rows = [...nightly().matchAll(/^ {2}\| `([a-z-]+)` \| [^|]+ \| (yes|no) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows.map(([k]) => k)).toEqual(TransitionKind.options);
    expect(rows.filter(([, d]) => d === 'yes').map(([k]) => k)).toEqual(DEFAULT_FAIL_ON);
  });

  it('says what each exit code means', () => {
    const codes = [...nightly().matchAll(/^ {2}\| `(\d+)` \| /gm)].map((m) => Number(m[1]));
    expect(codes.sort((a, b) => a - b)).toEqual([...Object.values(ExitCode), 70].sort((a, b) => a - b));
  });
});
