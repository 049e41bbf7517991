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
  })
  .strict();
export type CorpusLabel = z.infer<typeof CorpusLabel>;
