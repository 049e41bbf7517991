// Synthetic but schema-valid run records, for the site benchmark and for tests that need a history
// (several tiers, firmware bundles, regressions, fixes, flaky probes) without running anything.

const WORKLOADS = ['matmul', 'cnn', 'text-encoder', 'image-diffusion', 'text-to-image-vq'];

export function device(tier) {
  const chips = { n150: 1, n300: 2, t3k: 8, galaxy: 32, p150: 1, none: 0 }[tier] ?? 1;
  return {
    source: tier === 'none' ? 'none' : 'tt-smi',
    ttSmi: { found: tier !== 'none', error: null, version: '3.0.27' },
    devNodes: [],
    boards: [],
    chips,
    tier,
    tierReason: 'synthetic',
    firmwareBundle: null,
    kmd: 'TT-KMD 1.34',
    host: { Hostname: `lab-${tier}` },
    stacks: {
      'tt-xla': { usable: true, reason: 'synthetic', versions: { jax: '0.7.1' } },
      'tt-metal': { usable: true, reason: 'synthetic', versions: {} },
    },
    jaxBackends: ['cpu'],
    target: tier === 'none' ? 'cpu' : 'tt',
    targetReason: 'synthetic',
    notes: [],
  };
}

/**
 * outcome({probe, status, ...}) with sensible defaults: a pass computed on the device, or a failure
 * with the given category, rule and details.
 */
export function outcome(o) {
  const failing = o.status !== 'pass' && o.status !== 'skip' && o.status !== 'cpu-fallback';
  const census = o.census ?? { 'stablehlo.dot_general': 2 };
  return {
    probe: o.probe,
    title: o.title ?? o.probe,
    stack: o.stack ?? (o.probe.includes('metal') ? 'tt-metal' : 'tt-xla'),
    workload: o.workload ?? 'matmul',
    tags: [],
    target: o.target ?? 'tt',
    attempt: o.attempt ?? 1,
    startedAt: o.startedAt ?? '2026-01-01T00:00:00.000Z',
    durationS: o.durationS ?? 10,
    exitCode: failing ? 1 : 0,
    signal: null,
    logs: { stdout: `probes/${o.probe}/stdout.log`, stderr: `probes/${o.probe}/stderr.log` },
    result: {
      protocol: 1,
      status: failing ? 'fail' : o.status === 'skip' ? 'skip' : 'pass',
      devicesSeen: ['TTDevice(id=0, arch=Wormhole_b0)'],
      placement: o.status === 'pass' ? { platform: 'tt', device: 'TTDevice(id=0)' } : null,
      timings: { compile_s: (o.durationS ?? 10) * 0.3, execute_s: o.executeS ?? (o.durationS ?? 10) * 0.5 },
      metrics: o.metrics ?? {},
      versions: {},
      artifacts: [],
      census,
      skipReason: o.status === 'skip' ? (o.reason ?? 'skipped') : null,
      missing: [],
      message: o.reason ?? null,
      details: {},
    },
    resultProblem: null,
    status: o.status,
    category: o.category ?? (failing ? 'unknown' : null),
    layer: o.layer ?? null,
    ruleId: o.ruleId ?? null,
    reason: o.reason ?? (o.status === 'pass' ? 'computed on TTDevice(id=0)' : 'failed'),
    details: o.details ?? {},
    evidence: o.evidence ?? [],
    signature: o.signature ?? null,
    notes: [],
    predicted: o.predicted ?? [],
    previousVerdicts: [],
    stages: o.stages ?? null,
  };
}

export function record({ runId, tier = 'n150', startedAt, firmwareBundle = '80.18.0.0', plugin = '0.1.0', ttMetal = 'v0.62.0', outcomes }) {
  const dev = device(tier);
  return {
    schemaVersion: 1,
    tool: { name: 'ttprobe', version: '0.1.0' },
    runId,
    state: 'complete',
    startedAt,
    finishedAt: startedAt,
    durationS: outcomes.reduce((s, o) => s + o.durationS, 0),
    options: {
      target: dev.target,
      size: 'full',
      devices: 1,
      filters: { probe: [], stack: [], tag: [] },
      probesDir: '/opt/ttprobe/probes',
      python: 'python3',
      retries: 0,
    },
    device: { ...dev, firmwareBundle },
    fingerprint: { tier, firmwareBundle, kmd: 'TT-KMD 1.34', jax: '0.7.1', jaxlib: '0.7.1', plugin, ttMetal, host: `lab-${tier}` },
    catalogVersion: '2026.11.27',
    planned: outcomes.map((o) => o.probe),
    outcomes,
  };
}

/** `runs` nights x `probes` probes over a few tiers, with deterministic pseudo-random outcomes. */
export function* syntheticHistory(runs, probes) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const tiers = ['n150', 'n300', 't3k', 'galaxy'];
  for (let r = 0; r < runs; r++) {
    const tier = tiers[r % tiers.length];
    const startedAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(r / tiers.length) * 86_400_000 + (r % tiers.length) * 60_000).toISOString();
    const firmwareBundle = r < runs / 2 ? '80.17.0.0' : '80.18.0.0';
    const outcomes = [];
    for (let p = 0; p < probes; p++) {
      const probe = `probe-${String(p).padStart(2, '0')}${p % 2 ? '-metal' : ''}`;
      const roll = rand();
      const status = roll < 0.7 ? 'pass' : roll < 0.85 ? 'fail' : roll < 0.95 ? 'skip' : 'crash';
      outcomes.push(outcome({
        probe,
        workload: WORKLOADS[p % WORKLOADS.length],
        status,
        durationS: 5 + (p % 7) * 3 + rand() * 2,
        category: status === 'fail' ? 'unsupported-op' : status === 'crash' ? 'compiler-crash' : undefined,
        ruleId: status === 'fail' ? 'stablehlo-reduce-window-legalize' : undefined,
        details: status === 'fail' ? { op: 'stablehlo.reduce_window' } : {},
        signature: status === 'crash' ? `sig-${(p * 7919).toString(16).padStart(12, '0')}` : null,
        reason: status === 'fail' ? "StableHLO reduce_window cannot be legalized to TTIR: stablehlo.reduce_window" : undefined,
        census: { 'stablehlo.dot_general': 2, 'stablehlo.add': 3 + p, ...(p % 3 === 0 ? { 'stablehlo.reduce_window': 2 } : {}) },
        metrics: { items_per_s: 100 * ({ n150: 1, n300: 1.8, t3k: 6, galaxy: 20 }[tier] ?? 1) },
        executeS: 10 / ({ n150: 1, n300: 1.8, t3k: 6, galaxy: 20 }[tier] ?? 1),
      }));
    }
    yield record({ runId: `run-${String(r).padStart(5, '0')}-${tier}`, tier, startedAt, firmwareBundle, outcomes });
  }
}
