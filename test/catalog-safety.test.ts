import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cli, tempDir } from './helpers.js';

// A catalog pattern that can backtrack exponentially would let one log line hang classify and run:
// such patterns are refused when the catalog is loaded, before any log is read.

function catalogWith(regex: string, flags?: string): string {
  const catalog = JSON.parse(readFileSync(path.join(ROOT, 'catalog', 'known-errors.json'), 'utf8'));
  catalog.entries[0].patterns.push(flags ? { regex, flags } : { regex });
  const file = path.join(tempDir(), 'catalog.json');
  writeFileSync(file, JSON.stringify(catalog));
  return file;
}

describe('catalog patterns that could backtrack catastrophically', () => {
  for (const regex of ['(\\w|\\d)*!', '(a|a)*b', '(a|aa)*b', '(a?a)*b', 'x(?:[a-z]|\\w)+!', '(?:A|a)*c']) {
    it(`refuses ${regex} at load, naming file and field`, async () => {
      const file = catalogWith(regex, regex.includes('A') ? 'i' : undefined);
      const r = await cli(['catalog', 'check', file]);
      expect(r.exitCode, r.stdout).toBe(2);
      expect(r.stderr).toContain(`${file}: field 'entries[0].patterns[1].regex': `);
      expect(r.stderr).toMatch(/backtrack catastrophically/);
    });
  }

  it('refuses them in classify too, instead of hanging on a 55-character line', async () => {
    const file = catalogWith('(\\w|\\d)*!');
    const log = path.join(tempDir(), 'digits.log');
    writeFileSync(log, `${'1'.repeat(55)}\n`);
    const r = await cli(['classify', '--catalog', file, log]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}: field 'entries[0].patterns[1].regex': `);
  });

  it('accepts repetitions whose alternatives cannot start alike', async () => {
    for (const regex of ['widget (?:foo|bar)*!', 'widget (a|b)*c', 'widget (ab?)*c', 'widget (\\s|\\S)*c', 'widget (?:(?=x)x|y)+z', 'widget (?:A|a)*c', 'widget (a(b|c))*d']) {
      const r = await cli(['catalog', 'check', catalogWith(regex)]);
      expect(r.stderr, regex).toBe('');
      expect(r.exitCode, regex).toBe(0);
    }
  });
});

// Repetitions next to each other that can match the same text split it in n^k ways: `\w*\w*\w*!` took
// 75 s on one 1,000-character line. Such patterns are refused too (issue 22, item 12).
describe('catalog patterns whose work grows as a power of the line length', () => {
  const lines: Record<string, string> = {
    '\\w*\\w*\\w*!': 'a'.repeat(1000),
    'error:.*a.*a.*a.*a.*a.*!': `error:${'a'.repeat(1000)}`,
    '[\\w\\d]*[a-z0-9]*[a-z]*!': '1'.repeat(1000),
    'x.*fo.*!': `x${'fo'.repeat(500)}`,
    '(?:start (?:\\d+)?\\d*)!': `start ${'1'.repeat(1000)}`,
  };
  for (const [regex, line] of Object.entries(lines)) {
    it(`refuses ${regex} at load, naming file and field, instead of classifying a 1,000-character line for minutes`, async () => {
      const file = catalogWith(regex);
      const log = path.join(tempDir(), 'long.log');
      writeFileSync(log, `${line}\n`);
      const r = await cli(['classify', '--catalog', file, log]);
      expect(r.exitCode, r.stdout).toBe(2);
      expect(r.stderr).toContain(`${file}: field 'entries[0].patterns[1].regex': `);
      expect(r.stderr).toMatch(/can both match/);
    });
  }

  it('accepts repetitions that something between them tells apart, and the built-in catalog', async () => {
    for (const regex of ['widget @ (?<file>[^\\s:]+):(?<line>\\d+)', 'widget -?\\d*\\.\\d+(?:e-?\\d+)?\\s*$', 'widget [a-z_]+\\.[a-z_0-9.]+', 'widget (\\w+) (\\w+)!', 'widget .*']) {
      const r = await cli(['catalog', 'check', catalogWith(regex)]);
      expect(r.stderr, regex).toBe('');
      expect(r.exitCode, regex).toBe(0);
    }
  });
});
