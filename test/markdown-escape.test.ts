import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cleanEnv, cli, onlyRunDir, tempDir, VENV_PYTHON } from './helpers.js';
import { outcome, record, VERDICTS, writeRun } from './run-records.js';

// Probe text in Markdown is rendered by GitHub (and pasted into chat): it must stay text.

const PAYLOAD = 'see [l](javascript:alert(1)) ![x](https://evil.example/p.png) @everyone **loud** _soft_ ~~gone~~';

/** The Markdown rendered as GitHub would (CommonMark with tables and strikethrough), by markdown-it. */
async function render(md: string): Promise<string> {
  const script = 'import sys\nfrom markdown_it import MarkdownIt\nsys.stdout.write(MarkdownIt("commonmark").enable("table").enable("strikethrough").render(sys.stdin.read()))';
  return (await execa(VENV_PYTHON, ['-c', script], { input: md })).stdout;
}

function expectInert(html: string): void {
  expect(html).not.toMatch(/<a href="javascript/i);
  expect(html).not.toMatch(/<img/);
  expect(html).not.toMatch(/<strong>loud|<em>soft|<s>gone/);
  expect(html).not.toContain('@everyone');
}

describe('Markdown from probe text', () => {
  it('report.md renders links, images, mentions and emphasis from a probe as plain text', async () => {
    const probesDir = tempDir();
    const dir = path.join(probesDir, 'loud');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'probe.json'), JSON.stringify({ id: 'loud', title: 'loud', stack: 'tt-xla', workload: 'fixture', command: ['python', 'probe.py'], needsDevice: false }));
    writeFileSync(path.join(dir, 'probe.py'), `import json, os\njson.dump({"protocol": 1, "probe": "loud", "status": "fail", "message": ${JSON.stringify(PAYLOAD)}}, open(os.environ["TTPROBE_RESULT_FILE"], "w"))\nraise SystemExit(1)\n`);
    const runs = tempDir();
    await cli(['run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu'], cleanEnv());
    const md = readFileSync(path.join(onlyRunDir(runs), 'report', 'report.md'), 'utf8');
    expect(md).toContain('javascript:alert');
    const html = await render(md);
    expect(html).toContain('loud');
    expectInert(html);
  });

  it('compare --md too, and stays under a GitHub comment with a pointer to all of it', async () => {
    const dir = tempDir();
    const probes = Array.from({ length: 1500 }, (_, i) => `probe-${String(i).padStart(4, '0')}`);
    const base = writeRun(dir, record({ runId: 'a', startedAt: '2026-06-01T01:00:00.000Z', outcomes: probes.map((probe) => outcome({ probe, status: 'pass' })) }));
    const next = writeRun(dir, record({ runId: 'b', startedAt: '2026-06-02T01:00:00.000Z', outcomes: probes.map((probe) =>
      outcome({ probe, ...VERDICTS.fail, details: { op: PAYLOAD } })) }));
    const r = await cli(['compare', base, next, '--md']);
    expect(r.stdout.length).toBeLessThan(65_536);
    expect(r.stdout).toContain('probe-0000');
    expect(r.stdout).toMatch(/cut at \d+ of \d+ characters.*`ttprobe compare \S+ \S+ > compare\.txt`/s);
    expectInert(await render(r.stdout));
  });
});
