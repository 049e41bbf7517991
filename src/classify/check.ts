import type { LoadedCatalog } from './catalog.js';
import { StreamClassifier, needsOwnNeedles } from './classify.js';
import { emitSites, instantiate, wrappings } from './emit-sites.js';
import { needlesOf } from './needles.js';

function classifiedAs(catalog: LoadedCatalog, text: string) {
  const classifier = new StreamClassifier(catalog);
  for (const source of ['stdout', 'stderr', 'message'] as const) classifier.feedText(text, source);
  return classifier.result().entry;
}

/**
 * Each example must be classified as its own entry: matching it, and not matching an entry of
 * higher priority that would shadow it. Each specific entry names the code that prints its message,
 * and must match that message as printed, in every wrapper a log or an issue puts around it.
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
      const got = classifiedAs(catalog, example);
      const where = `entries[${i}].examples[${j}] (${entry.id})`;
      if (!got) problems.push(`${where}: matches no entry`);
      else if (got.id !== entry.id) problems.push(`${where}: classified as '${got.id}' (priority ${got.priority}) instead`);
    });
    const sites = emitSites(entry);
    if (!sites.length && !entry.generic) {
      problems.push(`entries[${i}].source (${entry.id}): no emit site; name the upstream repo, path and format string that print the message, or mark the entry generic`);
    }
    problems.push(...sitesProblems(catalog, i));
  });
  return problems;
}

/** The wrapped messages of entry `i`'s emit sites that do not classify as entry `i`. */
export function sitesProblems(catalog: LoadedCatalog, i: number): string[] {
  const entry = catalog.entries[i]!;
  const problems: string[] = [];
  emitSites(entry).forEach((site, k) => {
    const message = instantiate(site);
    for (const { wrapper, text } of wrappings(message, site)) {
      const got = classifiedAs(catalog, text);
      if (got?.id !== entry.id) {
        problems.push(`entries[${i}].source[${k}] (${entry.id}): ${wrapper} of "${message.slice(0, 80)}" classified as ${got ? `'${got.id}'` : 'nothing'}`);
      }
    }
  });
  return problems;
}
