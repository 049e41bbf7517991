import type { Status } from '../schemas/outcome.js';
import { SITE_STATUS_VERSION, type ShieldsEndpoint, type SiteStatus } from '../schemas/site-status.js';
import { STACK_TITLES } from '../report/view.js';
import type { SystemFreshness } from './freshness.js';
import type { Occurrence } from './occurrences.js';
import { byTier, push, slug } from './naming.js';
import { isReference } from '../device/system-title.js';

/** Failures first (the worst first), then pass, then skip: a cell is as good as its worst probe. */
const SEVERITY: Status[] = ['crash', 'fail', 'timeout', 'cpu-fallback', 'pass', 'compiled', 'skip'];

const MESSAGES: Record<Status, string> = {
  pass: 'passes',
  compiled: 'compiles (mock)',
  fail: 'fails',
  crash: 'crashes',
  timeout: 'times out',
  'cpu-fallback': 'falls back to CPU',
  skip: 'skipped',
};

const COLORS: Record<Status, string> = {
  pass: 'brightgreen',
  // Its own colour: a compile on a mock system is good news, but not the green of a computed pass.
  compiled: 'blue',
  fail: 'red',
  crash: 'critical',
  timeout: 'orange',
  'cpu-fallback': 'yellow',
  skip: 'lightgrey',
};

/** What failed, as short as a badge allows: the op without its dialect, else the category. */
function shortReason(o: Occurrence['outcome']): string | null {
  if (o.status === 'pass' || o.status === 'compiled' || o.status === 'skip') return null;
  const op = o.details.op;
  if (op) return op.replace(/^stablehlo\./, '');
  return o.category && o.category !== o.status ? o.category : null;
}

export const badgeFile = (tier: string, stack: string, workload: string) => `badges/${slug(tier)}/${slug(stack)}/${slug(workload)}.json`;

export interface StatusFiles {
  status: SiteStatus;
  badges: Array<{ file: string; badge: ShieldsEndpoint }>;
}

/** status.json and one shields.io endpoint badge per system x workload x stack, from the latest outcomes. */
export function buildStatus(latest: Occurrence[], systems: SystemFreshness[], generatedAt: string, staleAfterHours: number): StatusFiles {
  const titles = new Map(systems.map((s) => [s.tier, s.title]));
  const groups = new Map<string, Occurrence[]>();
  for (const occ of latest) push(groups, `${occ.tier}\u0000${occ.outcome.stack}\u0000${occ.outcome.workload}`, occ);
  const entries: SiteStatus['entries'] = [];
  const badges: StatusFiles['badges'] = [];
  const keys = [...groups.keys()].sort((a, b) => {
    const [ta, ...ra] = a.split('\u0000');
    const [tb, ...rb] = b.split('\u0000');
    return byTier(ta!, tb!) || ra.join().localeCompare(rb.join());
  });
  for (const key of keys) {
    const occs = groups.get(key)!.sort((a, b) => a.outcome.probe.localeCompare(b.outcome.probe));
    const worst = [...occs].sort((a, b) => SEVERITY.indexOf(a.outcome.status) - SEVERITY.indexOf(b.outcome.status))[0]!;
    const newest = [...occs].sort((a, b) => a.date.localeCompare(b.date)).at(-1)!;
    const { tier } = worst;
    const { stack, workload, status } = worst.outcome;
    const detail = shortReason(worst.outcome);
    const message = detail ? `${MESSAGES[status]} (${detail})` : MESSAGES[status];
    const name = occs.length === 1 ? worst.outcome.title : workload;
    // A reference run's verdict is about JAX on the CPU or a GPU: no badge that reads as TT support.
    const target = newest.target as SiteStatus['entries'][number]['target'];
    const file = isReference(target) ? null : badgeFile(tier, stack, workload);
    if (file) badges.push({ file, badge: { schemaVersion: 1, label: `${name} on ${STACK_TITLES[stack]} (${titles.get(tier) ?? tier})`, message, color: COLORS[status] } });
    entries.push({
      tier: tier as SiteStatus['entries'][number]['tier'],
      target,
      stack,
      workload,
      status,
      message,
      date: newest.date,
      runId: newest.runId,
      versions: { firmwareBundle: newest.fingerprint.firmwareBundle, plugin: newest.fingerprint.plugin, ttMetal: newest.fingerprint.ttMetal },
      badge: file,
      probes: occs.map(({ outcome: o, date, runId }) => ({
        probe: o.probe,
        title: o.title,
        status: o.status,
        category: o.category,
        layer: o.layer,
        ruleId: o.ruleId,
        signature: o.signature,
        op: o.details.op ?? null,
        reason: o.reason,
        date,
        runId,
      })),
    });
  }
  const status: SiteStatus = {
    $schema: 'https://ttprobe.dev/schemas/site-status.schema.json',
    schemaVersion: SITE_STATUS_VERSION,
    generatedAt,
    staleAfterHours,
    systems: systems.map((s) => ({ tier: s.tier as SiteStatus['systems'][number]['tier'], latestRunId: s.latestRunId, latestRunAt: s.latestRunAt, stale: s.stale })),
    entries,
  };
  return { status, badges };
}
