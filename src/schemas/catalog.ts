import { z } from 'zod';
import { Category, Layer, Status } from './outcome.js';

export const PatternSource = z
  .enum(['any', 'stdout', 'stderr', 'message', 'throw-site'])
  .describe("where the pattern looks: any line, one stream, the probe's result message, or the source file a TT_FATAL / TT_THROW names (throw-site)");

export const CatalogPattern = z
  .object({
    regex: z.string().min(1).describe('JavaScript regular expression; named groups become details (e.g. (?<op>...))'),
    flags: z.string().regex(/^[imsu]*$/, 'only i, m, s and u flags').default(''),
    source: PatternSource.default('any'),
    scope: z
      .enum(['line', 'error-statement'])
      .default('line')
      .describe("'error-statement' reads only lines that state an error (an exception's message, a FATAL/ERROR log line, pytest's E lines, a compiler diagnostic), never chatter: for generic words such as 'timeout'"),
  })
  .strict();

export const EmitSite = z
  .object({
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name').describe('the upstream repository whose code prints the message'),
    path: z.string().min(1).describe('the file, in that repository, that formats the message'),
    format: z
      .string()
      .min(1)
      .describe("the message as the emit site formats it, each inserted value written as a placeholder: {} {:#x} (fmt, Python), %s %d %x %R (printf), {name} (f-strings)"),
    values: z
      .array(z.string())
      .default([])
      .describe('sample values for the placeholders, in order, where a number would not do (an op name, a buffer type)'),
  })
  .strict();
export type EmitSite = z.infer<typeof EmitSite>;

export const CatalogEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'kebab-case id'),
    title: z.string().min(1),
    category: Category,
    layer: Layer,
    status: Status.optional().describe('forces the outcome status, e.g. crash for an abort the process survived'),
    priority: z.number().int().min(0).max(1000),
    patterns: z.array(CatalogPattern).min(1),
    source: z
      .union([EmitSite, z.array(EmitSite).min(1)])
      .optional()
      .describe('the upstream code that prints the message (one site, or each site that prints a variant); required unless generic'),
    generic: z
      .boolean()
      .default(false)
      .describe('a rule written from a category (words, shapes of output) rather than from one emit site: needs no source, and never hides an earlier specific error'),
    layerFromTrace: z
      .boolean()
      .default(false)
      .describe('prefer the layer named by library names in the backtrace (libtt_metal.so, libTTMLIRCompiler.so, ...)'),
    categoryByLayer: z
      .partialRecord(Layer, Category)
      .default({})
      .describe('the category when the decisive error runs through this layer (a segfault inside the compiler is a compiler crash); needs layerFromTrace'),
    categoryByStage: z
      .partialRecord(z.enum(['compile', 'execute']), Category)
      .default({})
      .describe("the category when the log's last progress line said it was compiling or executing (a crash while compiling is a compiler crash); categoryByLayer wins over it"),
    unsupportedOps: z.array(z.string().regex(/^[a-z_]+\.[a-z_0-9.]+$/)).default([]),
    links: z.array(z.string().url()).default([]),
    seenIn: z
      .array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'))
      .default([])
      .describe('repositories whose logs this entry was written from; empty for rules written from the category spec alone (the corpus evaluation holds a repository out by dropping the entries seen only in it)'),
    firstSeen: z.string().optional(),
    lastSeen: z.string().optional(),
    notes: z.string().optional(),
    examples: z.array(z.string().min(1)).min(1, 'every entry needs at least one example text that it matches'),
  })
  .strict();
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const Catalog = z
  .object({
    $schema: z.string().optional(),
    version: z.string().min(1),
    entries: z.array(CatalogEntry),
  })
  .strict();
export type Catalog = z.infer<typeof Catalog>;
