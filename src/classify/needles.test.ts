import { describe, expect, it } from 'vitest';
import { minimalNeedles, needlesOf, trieAlternation } from './needles.js';

describe('needles', () => {
  it('finds the literal every branch of a pattern needs', () => {
    expect(needlesOf("failed to legalize operation '(?<op>stablehlo\\.reduce_window)'")).toEqual(["failed to legalize operation '"]);
    expect(needlesOf('Aborted \\(core dumped\\)')).toEqual(['Aborted (core dumped)']);
    expect(needlesOf('Timeout waiting for ARC(?: msg)? response|ARC (?:message|msg) timed out')).toEqual(['Timeout waiting for ARC', ' timed out']);
    expect(needlesOf('colou?r')).toEqual(['colo']);
    expect(needlesOf('\\d+\\.\\d+')).toBeNull();
  });

  it('keeps the shortest of nested needles, case-insensitively', () => {
    expect(minimalNeedles(['Error code: 13', 'error', 'TT_FATAL', 'fatal', 'hugepage'])).toEqual(['error', 'fatal', 'hugepage']);
  });

  it('factors needles into a trie that matches exactly the same words', () => {
    const words = ['error', 'exception', 'exit', 'fail', 'fatal', '.so', 'tt_metal/'];
    const re = new RegExp(`^(?:${trieAlternation(words)})$`);
    for (const w of words) expect(re.test(w), w).toBe(true);
    for (const w of ['err', 'exits', 'fa', 'so', 'tt_metal']) expect(re.test(w), w).toBe(false);
    expect(trieAlternation(['ab', 'abc'])).toBe('ab(?:c)?');
  });
});
