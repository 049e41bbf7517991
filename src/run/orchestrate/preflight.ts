import type { LoadedProbe } from '../../schemas/manifest.js';
import type { Outcome } from '../../schemas/outcome.js';
import { missingEnv, probeEnv } from '../../environment/env-profile.js';
import { missingModules } from '../../environment/module-check.js';
import { skippedOutcome, type RunOneContext } from './run-one.js';

/**
 * Probes whose Python modules or environment variables are missing are decided before anything
 * starts: a skip naming exactly what is missing. One interpreter call per stack checks every module.
 */
export async function preflight(toRun: LoadedProbe[], ctx: RunOneContext): Promise<{ runnable: LoadedProbe[]; skipped: Outcome[] }> {
  const skipped: Outcome[] = [];
  const runnable: LoadedProbe[] = [];
  for (const stack of ['tt-xla', 'tt-metal'] as const) {
    const ofStack = toRun.filter((p) => p.stack === stack);
    if (!ofStack.length) continue;
    const env = probeEnv({ ...ctx, probe: ofStack[0]!, resultFile: '', outputDir: '', stackSetting: ctx.stacks[stack] });
    const modules = [...new Set(ofStack.flatMap((p) => p.requires.modules))];
    const { missing, error } = await missingModules(ctx.stacks[stack].python, modules, env);
    for (const probe of ofStack) {
      const lackingEnv = missingEnv(probe, env);
      const lackingModules = probe.requires.modules.filter((m) => missing.has(m));
      if (!lackingEnv.length && !lackingModules.length) {
        runnable.push(probe);
        continue;
      }
      const parts = [
        ...(lackingModules.length ? [`missing Python module(s): ${lackingModules.join(', ')}`] : []),
        ...(lackingEnv.length ? [`environment variable(s) not set: ${lackingEnv.join(', ')}`] : []),
      ];
      skipped.push(
        skippedOutcome(probe, ctx, {
          status: 'skip',
          category: lackingModules.length ? 'missing-dependency' : 'environment',
          layer: 'python-env',
          ruleId: null,
          reason: error ?? parts.join('; '),
          details: { ...(lackingModules.length ? { missing: lackingModules.join(', ') } : {}), ...(lackingEnv.length ? { env: lackingEnv.join(', ') } : {}) },
          evidence: [],
          signature: null,
        }),
      );
    }
  }

  return { runnable, skipped };
}
