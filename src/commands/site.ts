import { writeSite } from '../site/write-site.js';

export async function siteCommand(runsDir: string, flags: { out: string; catalog?: string; force?: boolean }, out: (s: string) => void) {
  const result = await writeSite(runsDir, flags.out, { catalog: flags.catalog, force: flags.force });
  for (const problem of result.skipped) process.stderr.write(`ttprobe: left out of the site: ${problem}\n`);
  out(`site: ${result.pages} page(s) from ${result.runs} run(s) -> ${result.outDir}/index.html\n`);
  return result;
}
