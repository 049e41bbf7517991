import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

// The CLI builds only the command named on its command line (start-up time); these check that every
// command still answers on its own and that the top level still knows them all.
describe('commands built on demand', () => {
  it('each command the top-level help lists answers --help on its own, with its own usage line', async () => {
    const help = (await cli(['--help'])).stdout;
    const names = [...help.split('Commands:')[1]!.matchAll(/^  ([a-z]+)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
    expect(names).toEqual(expect.arrayContaining(['detect', 'run', 'list', 'classify', 'reclassify', 'catalog', 'report', 'compare', 'bisect', 'baseline', 'history', 'merge', 'site']));
    for (const name of names) {
      const r = await cli([name, '--help']);
      expect(r.exitCode, name).toBe(0);
      expect(r.stdout, name).toContain(`Usage: ttprobe ${name} `);
    }
  });

  it('help CMD, and a mistyped command, still see every command', async () => {
    const help = await cli(['help', 'history']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: ttprobe history [options] [runsDir]');
    const typo = await cli(['histroy']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain("unknown command 'histroy'");
    expect(typo.stderr).toContain('(Did you mean history?)');
  });
});
