import { writeSite } from '../site/write-site.js';

export async function siteCommand(runsDir: string, flags: { out: string; catalog?: string }, out: (s: string) => void) {
  const result = await writeSite(runsDir, flags.out, flags.catalog);
  for (const problem of result.skipped) process.stderr.write(`ttprobe: left out of the site: ${problem}\n`);
  out(`site: ${result.pages} page(s) from ${result.runs} run(s) -> ${result.outDir}/index.html\n`);
  return result;
}
