import { z } from 'zod';
import { Category, Layer } from './outcome.js';

/** One real failure log of the evaluation corpus and what a person reading it files it under. */
export const CorpusLabel = z
  .object({
    file: z.string().regex(/^[\w.-]+\/[\w.-]+\.log$/, 'REPO/NAME.log, relative to the corpus logs folder'),
    url: z.string().url().describe('where the log was published'),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
    category: Category,
    op: z.string().nullable().describe('for unsupported-op: the StableHLO op name (a TTIR op maps to its StableHLO source op)'),
    opAsLogged: z.string().nullable(),
    layer: Layer,
    decisive: z.string().min(1).describe('the log line that decides the category'),
    why: z.string().min(1),
    // Optional so older labels stay valid; the evaluation splits by them (time, and issue excerpt vs full log).
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional().describe('when the issue holding the log was opened'),
    kind: z.enum(['full-log', 'excerpt']).optional().describe('a log as a run printed it, or a line or few that a person pasted'),
    doubtful: z.string().min(1).optional().describe('why the category could be argued otherwise'),
    source: z
      .string()
      .regex(/^[\w.-]+ [\w.+-]+$/, "'PACKAGE VERSION'")
      .optional()
      .describe("for a log printed by a run of ours rather than taken from an issue: the package and version that printed it ('jax-tt-plugin 0.1.3')"),
  })
  .strict();
export type CorpusLabel = z.infer<typeof CorpusLabel>;
