// Plain lists, no zod: `compare` and `site` read records without loading the schemas (as change-kinds.ts
// does for --help); outcome.ts and stage.ts make them zod enums, the single source for types and JSON Schema.

/** What became of a probe. `compiled`: on a mock system the workload compiled for that system; nothing ran. */
export const STATUSES = ['pass', 'compiled', 'cpu-fallback', 'fail', 'crash', 'timeout', 'skip'] as const;

/** The statuses that end well: a computed pass, or a compile on a mock system (its own kind of success, never a pass). */
export const isSuccess = (s: string): s is 'pass' | 'compiled' => s === 'pass' || s === 'compiled';

/** How far a probe got, in the order a workload goes through them. */
export const STAGES = ['import', 'setup', 'lower', 'compile', 'execute', 'compare'] as const;
