import type { LoadedCatalog } from './catalog.js';
import { StreamClassifier, needsOwnNeedles } from './classify.js';
import { needlesOf } from './needles.js';

/**
 * Each example must be classified as its own entry: matching it, and not matching an entry of
 * higher priority that would shadow it.
 */
export function checkCatalog(catalog: LoadedCatalog): string[] {
  const problems: string[] = [];
  catalog.entries.forEach((entry, i) => {
    entry.patterns.forEach((p, j) => {
      const compiled = catalog.patterns.find((c) => c.entry === entry && c.regex.source === new RegExp(p.regex, p.flags).source);
      if (compiled && needsOwnNeedles(compiled) && !needlesOf(p.regex)) {
        problems.push(`entries[${i}].patterns[${j}] (${entry.id}): no literal of 3+ characters in every branch, so every log line must run through it; add one`);
      }
    });
    entry.examples.forEach((example, j) => {
      const classifier = new StreamClassifier(catalog);
      for (const source of ['stdout', 'stderr', 'message'] as const) classifier.feedText(example, source);
      const got = classifier.result().entry;
      const where = `entries[${i}].examples[${j}] (${entry.id})`;
      if (!got) problems.push(`${where}: matches no entry`);
      else if (got.id !== entry.id) problems.push(`${where}: classified as '${got.id}' (priority ${got.priority}) instead`);
    });
  });
  return problems;
}
