import writeFileAtomic from 'write-file-atomic';
import { collectRuns } from '../site/collect.js';
import { requireFilePath } from './input-paths.js';
import { draftEntries, type UnknownSighting } from '../classify/suggest.js';

/**
 * Drafts catalog entries for the unknown failures of every stored run under `runsDir`, as a catalog
 * file a person reviews and merges (each draft passes `catalog check` as it is).
 */
export async function suggestCommand(runsDir: string, flags: { out?: string }, out: (s: string) => void, err: (s: string) => void) {
  if (flags.out) await requireFilePath(flags.out, '--out');
  const { runs, problems } = await collectRuns(runsDir);
  for (const p of problems) err(`skipped: ${p}\n`);
  const sightings: UnknownSighting[] = runs.flatMap(({ record }) =>
    record.outcomes.filter((o) => o.signature).map((outcome) => ({ outcome, runId: record.runId, tier: record.device.tier })),
  );
  const today = new Date().toISOString().slice(0, 10);
  const drafts = draftEntries(sightings, today);
  const catalog = {
    $schema: 'https://ttprobe.dev/schemas/catalog.schema.json',
    version: `suggested-${today}`,
    entries: drafts.map(({ cluster, ...entry }) => ({ ...entry, notes: `${entry.notes} Seen ${cluster.count} time(s) in ${cluster.probes.join(', ')} on ${cluster.tiers.join(', ')}; signatures ${cluster.signatures.join(', ')}.` })),
  };
  const text = JSON.stringify(catalog, null, 2) + '\n';
  if (flags.out) {
    await writeFileAtomic(flags.out, text);
    err(`${drafts.length} drafted entr${drafts.length === 1 ? 'y' : 'ies'} from ${sightings.length} unknown failure(s) in ${runs.length} run(s) written to ${flags.out}\n`);
  } else {
    out(text);
  }
  return drafts;
}
