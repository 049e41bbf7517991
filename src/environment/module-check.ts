import { runBounded } from './bounded-run.js';

const CHECK = String.raw`
import importlib.util, json, sys
missing = []
for name in sys.argv[1:]:
    try:
        if importlib.util.find_spec(name) is None:
            missing.append(name)
    except Exception:
        missing.append(name)
print(json.dumps(missing))
`;

/** Which of `modules` the probe interpreter cannot import; every module if the interpreter itself is unusable. */
export async function missingModules(
  python: string,
  modules: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ missing: Set<string>; error: string | null }> {
  if (modules.length === 0) return { missing: new Set(), error: null };
  try {
    const { stdout } = await runBounded(python, ['-c', CHECK, ...modules], { env, timeoutMs: 60_000 });
    return { missing: new Set(JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[]), error: null };
  } catch (err) {
    return { missing: new Set(modules), error: `probe Python ${python} is unusable: ${(err as Error).message.split('\n')[0]}` };
  }
}
