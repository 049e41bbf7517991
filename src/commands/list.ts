import path from 'node:path';
import { loadProbes } from '../probes/load.js';
import { asFlags, parseShard, selectProbes, type Filters } from '../run/orchestrate/select.js';
import { DEFAULT_PROBES_DIR } from '../paths.js';
import { Stack, type LoadedProbe } from '../schemas/manifest.js';
import type { ProbeList } from '../schemas/probe-list.js';
import { textTable } from '../report/text-table.js';

export interface ListFlags extends Filters {
  probesDir?: string;
  shard?: string;
  json?: boolean;
}

function countBy(probes: LoadedProbe[], keys: (p: LoadedProbe) => string[], order?: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const p of probes) for (const k of keys(p)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const names = order ? order.filter((k) => counts.has(k)) : [...counts.keys()].sort();
  return Object.fromEntries(names.map((k) => [k, counts.get(k)!]));
}

/** The probes, stacks and tags there are, and what the filters select: `ttprobe run`'s selection, run nothing. */
export async function listCommand(flags: ListFlags, out: (s: string) => void): Promise<ProbeList> {
  const probesDir = path.resolve(flags.probesDir ?? DEFAULT_PROBES_DIR);
  const all = await loadProbes(probesDir);
  const filters: Filters = { probe: flags.probe, stack: flags.stack, tag: flags.tag };
  const shard = flags.shard ? parseShard(flags.shard) : undefined;
  // The same check as `run` (a typo is exit 2); an empty selection is shown, as a dry run should.
  const selected = selectProbes(all, filters, shard, { allowNone: true });
  const none: Filters = { probe: [], stack: [], tag: [] };
  const perFilter = (['probe', 'stack', 'tag'] as const).flatMap((flag) =>
    filters[flag].map((value) => ({ flag: `--${flag}`, value, probes: selectProbes(all, { ...none, [flag]: [value] }, undefined, { allowNone: true }).length })));
  const list: ProbeList = {
    probesDir,
    filters,
    shard: flags.shard ?? null,
    total: all.length,
    perFilter,
    selected: selected.map((p) => ({
      id: p.id, title: p.title, stack: p.stack, workload: p.workload, tags: p.tags, needsDevice: p.needsDevice, timeoutSeconds: p.timeoutSeconds, requires: p.requires,
    })),
    stacks: countBy(all, (p) => [p.stack], Stack.options),
    tags: countBy(all, (p) => p.tags),
  };
  if (flags.json) {
    out(JSON.stringify(list, null, 2) + '\n');
    return list;
  }
  const described = [asFlags(filters), flags.shard ? `--shard ${flags.shard}` : ''].filter(Boolean).join(' ') || 'no filters';
  out(`${selected.length} of ${all.length} probe(s) in ${probesDir} selected (${described})\n`);
  const rows = selected.map((p) => [p.id, p.stack, p.workload, p.needsDevice ? 'yes' : 'no', p.tags.join(', ') || '-', p.title]);
  if (rows.length) for (const line of textTable(['ID', 'STACK', 'WORKLOAD', 'DEVICE', 'TAGS', 'TITLE'], rows)) out(`${line}\n`);
  else out('a run with these filters would be refused (exit 2): they select no probe\n');
  if (perFilter.length > 1) for (const f of perFilter) out(`  ${f.flag} ${f.value}: ${f.probes} probe(s)\n`);
  const counts = (c: Record<string, number>) => Object.entries(c).map(([k, n]) => `${k} (${n})`).join(', ') || 'none';
  out(`Stacks: ${counts(list.stacks)}\nTags: ${counts(list.tags)}\n`);
  return list;
}
