import type { Fingerprint } from '../schemas/run-record.js';
import { systemTitle } from '../device/system-title.js';
export { tierTitle } from '../device/system-title.js';

/** Safe as a file name inside the site. */
export const slug = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

// Mock systems come after every hardware system, in the same order among themselves.
const TIER_ORDER = ['n150', 'n300', 't3k', 'galaxy', 'p100', 'p150', 'p300', 'galaxy-bh', 'unknown', 'none'];
const HARDWARE_ORDER = TIER_ORDER.slice(0, -1);
const TIER_ORDER_ALL = [...TIER_ORDER, ...HARDWARE_ORDER.map((t) => `${t}-mock`)];
export const byTier = (a: string, b: string) => TIER_ORDER_ALL.indexOf(a) - TIER_ORDER_ALL.indexOf(b);

/** A site run's system, in words: `N150`, or `JAX on CPU (reference)` for a run on the CPU. */
export const runTitle = (run: { fingerprint: Fingerprint; target: string }) => systemTitle(run.fingerprint.tier, run.target);

/** Each system's title, from its latest run (runs oldest first). */
export function systemTitles(runs: Array<{ fingerprint: Fingerprint; target: string }>): Map<string, string> {
  return new Map(runs.map((r) => [r.fingerprint.tier, runTitle(r)]));
}

/** The versions a release page exists for, and the fingerprint field each comes from. */
export const RELEASE_KINDS = [
  { kind: 'firmware', field: 'firmwareBundle', title: 'Firmware bundle', short: 'fw' },
  { kind: 'plugin', field: 'plugin', title: 'TT-XLA PJRT plugin', short: 'plugin' },
  { kind: 'tt-metal', field: 'ttMetal', title: 'tt-metal', short: 'tt-metal' },
] as const satisfies ReadonlyArray<{ kind: string; field: keyof Fingerprint; title: string; short: string }>;
export type ReleaseKind = (typeof RELEASE_KINDS)[number]['kind'];

/** Relative to the site's root. */
export const releaseHref = (kind: ReleaseKind, version: string) => `releases/${kind}-${slug(version)}.html`;
export const probeHref = (probe: string) => `probes/${slug(probe)}.html`;

export interface VersionLink {
  label: string;
  /** Null when the version is unknown: no page for "n/a". */
  href: string | null;
}

/** `fw 80.18.0.0`, `plugin 0.1.0`, `tt-metal v0.62.0`, each linking to its release page. */
export function versionLinks(fp: Fingerprint, kinds: ReadonlyArray<ReleaseKind> = ['firmware', 'plugin', 'tt-metal']): VersionLink[] {
  return RELEASE_KINDS.filter((k) => kinds.includes(k.kind)).map((k) => {
    const v = fp[k.field];
    return { label: `${k.short} ${v ?? 'n/a'}`, href: v ? releaseHref(k.kind, v) : null };
  });
}

export const versionsText = (fp: Fingerprint) =>
  `fw ${fp.firmwareBundle ?? 'n/a'} · plugin ${fp.plugin ?? 'n/a'} · tt-metal ${fp.ttMetal ?? 'n/a'}`;

/** The versions that matter for a stack: the plugin for TT-XLA, the tt-metal checkout for tt-metal. */
export const stackVersions = (stack: string): ReleaseKind[] => (stack === 'tt-metal' ? ['firmware', 'tt-metal'] : ['firmware', 'plugin']);

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
