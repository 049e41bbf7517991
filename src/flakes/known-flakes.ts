import { readFile } from 'node:fs/promises';
import type { KnownFlake } from '../schemas/known-flakes.js';
import { TtprobeError, invalidInput } from '../errors.js';

export interface KnownFlakeSet {
  file: string;
  /** The known flake that names this probe on this system, or null. */
  match(probe: string, tier: string): KnownFlake | null;
}

/** `known flake (why): link`: the words an outcome's notes and a change's detail carry. */
export const flakeNote = (f: KnownFlake) => `known flake (${f.reason})${f.links.length ? `: ${f.links.join(' ')}` : ''}`;

/** Reads and checks a known-flakes file: bad input (exit 2, file and field named) before anything runs. */
export async function loadKnownFlakes(file: string): Promise<KnownFlakeSet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TtprobeError('not-found', `--flakes ${file}: cannot read it: ${(err as Error).message}`, { file, field: '--flakes' });
  }
  const [{ KnownFlakes }, { parseJsonFile, validateDocument }, { regexHazard }] = await Promise.all([
    import('../schemas/known-flakes.js'), import('../schemas/validate.js'), import('../classify/regex-safety.js'),
  ]);
  const { flakes } = await validateDocument(KnownFlakes, await parseJsonFile(text, file), file);
  const matchers = flakes.map((f, i) => {
    if (f.probe !== undefined) return (id: string) => id === f.probe;
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${f.pattern})$`);
    } catch (err) {
      throw invalidInput(file, `flakes.${i}.pattern`, (err as Error).message);
    }
    // A pattern that backtracks without end would hang every run and compare that reads the file.
    const hazard = regexHazard(f.pattern!);
    if (hazard) throw invalidInput(file, `flakes.${i}.pattern`, hazard);
    return (id: string) => regex.test(id);
  });
  return {
    file,
    match(probe, tier) {
      const i = flakes.findIndex((f, j) => matchers[j]!(probe) && (!f.tiers || (f.tiers as string[]).includes(tier)));
      return i < 0 ? null : flakes[i]!;
    },
  };
}
