import { z } from 'zod';

/**
 * A stack that ran in the reference (the previous run, or what a baseline expects) and now has every
 * probe stopped by its environment: an interpreter that cannot start, a missing package, an unset
 * variable. One finding, with its own exit code, instead of a column of skips.
 */
export const BrokenEnvironment = z.object({
  tier: z.string(),
  stack: z.string(),
  run: z.string().describe('the run whose environment broke'),
  reference: z.string().describe('the run or baseline in which this stack ran'),
  probes: z.array(z.string()).describe('every probe of the stack in that run'),
  causes: z.array(z.string()).describe('the distinct reasons the probes give, first few'),
});
export type BrokenEnvironment = z.infer<typeof BrokenEnvironment>;
