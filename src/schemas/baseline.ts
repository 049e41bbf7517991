import { z } from 'zod';
import { Category, Status } from './outcome.js';

/** Expected outcomes per probe, as deqp-runner baselines and pytest's xfail: absent means "expected to pass". */
export const Baseline = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    source: z.string().describe('the run the baseline was taken from, or a note'),
    tier: z.string().optional(),
    expectations: z.record(
      z.string(),
      z.object({ status: Status, category: Category.nullable().optional(), ruleId: z.string().nullable().optional(), reason: z.string().optional() }).strict(),
    ),
  })
  .strict();
export type Baseline = z.infer<typeof Baseline>;
