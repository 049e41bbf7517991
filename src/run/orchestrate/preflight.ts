import type { LoadedProbe } from '../../schemas/manifest.js';
import type { Outcome } from '../../schemas/outcome.js';
import { missingEnv, probeEnv } from '../../environment/env-profile.js';
import { missingModules } from '../../environment/module-check.js';
import { ttPluginCandidates } from '../../environment/pjrt-plugins.js';
import { skippedOutcome, type RunOneContext } from './run-one.js';

/** Named in the reason and the outcome's `missing`: either distribution gives JAX its `tt` platform. */
const TT_PLUGIN = 'the TT PJRT plugin (pjrt-plugin-tt or jax-tt-plugin)';

/**
 * Probes whose Python modules or environment variables are missing are decided before anything
 * starts: a skip naming exactly what is missing. One interpreter call per stack checks every module.
 * A stack that is not installed is one rule for both stacks: without ttnn a tt-metal probe is a skip
 * [missing-dependency], and so is a TT-XLA probe asked to compute on TT when JAX has no TT plugin.
 * It says nothing about what the stack supports.
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
    // JAX computes on TT through a PJRT plugin: a probe that needs JAX needs one when the target is TT.
    const needsPlugin = (p: LoadedProbe) => stack === 'tt-xla' && ctx.target === 'tt' && p.requires.modules.includes('jax');
    const pluginMissing = ofStack.some(needsPlugin) && !error && (await ttPluginCandidates(ctx.stacks[stack].python, env))?.length === 0;
    for (const probe of ofStack) {
      const lackingEnv = missingEnv(probe, env);
      const noPlugin = pluginMissing && needsPlugin(probe);
      const lackingModules = [...probe.requires.modules.filter((m) => missing.has(m)), ...(noPlugin ? [TT_PLUGIN] : [])];
      if (!lackingEnv.length && !lackingModules.length) {
        runnable.push(probe);
        continue;
      }
      const parts = [
        ...(lackingModules.length ? [`missing Python module(s): ${lackingModules.join(', ')}`] : []),
        ...(noPlugin ? ["JAX has no 'tt' backend to compute on"] : []),
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
