import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import lockfile from 'proper-lockfile';
import { pipIndexArgs, type IndexSource } from './index-source.js';

/** `$TTPROBE_CACHE_DIR/venvs`, else `$XDG_CACHE_HOME/ttprobe/venvs`, else `~/.cache/ttprobe/venvs`. */
export function defaultVenvCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TTPROBE_CACHE_DIR) return path.join(env.TTPROBE_CACHE_DIR, 'venvs');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'ttprobe', 'venvs');
}

/** Written last: a folder without it is a venv whose making was cut short, and is made again. */
const READY = 'ttprobe-venv.json';
const BASE_PTH = '_ttprobe_base.pth';

export interface VersionVenv {
  python: string;
  dir: string;
  reused: boolean;
}

export interface VenvRequest {
  basePython: string;
  pkg: string;
  version: string;
  source: IndexSource;
  cacheDir: string;
}

/** Thrown when pip cannot install the version: bisect skips it, as `git bisect skip` would. */
export class InstallError extends Error {}

const tail = (text: string, lines = 3) => text.trim().split('\n').slice(-lines).join(' | ');

async function run(cmd: string, args: string[]) {
  return execa(cmd, args, { reject: false, stdin: 'ignore', all: true });
}

/**
 * A venv holding `pkg==version` and, through a .pth file, everything of the base interpreter's
 * environment: its own site-packages come first, so only the tested package (and whatever that
 * version needs that the base lacks) differs from the base's pins. One per base, package, version
 * and index, cached, made under a lock so two bisects never build the same one at once.
 */
export async function versionVenv(req: VenvRequest): Promise<VersionVenv> {
  const base = await realpath(req.basePython).catch(() => req.basePython);
  const source = JSON.stringify(req.source);
  const key = createHash('sha256').update(`${req.basePython}\0${base}\0${source}`).digest('hex').slice(0, 12);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._+-]/g, '_');
  const dir = path.join(req.cacheDir, `${safe(req.pkg)}-${safe(req.version)}-${key}`);
  const python = path.join(dir, 'bin', 'python');
  await mkdir(req.cacheDir, { recursive: true });
  const release = await lockfile.lock(dir, { realpath: false, lockfilePath: `${dir}.lock`, stale: 30_000, update: 5_000, retries: { retries: 600, minTimeout: 1_000, maxTimeout: 2_000 } });
  try {
    // A cached venv can change after it was made (a pip install into it): it is reused only while it
    // still imports the version it was made for, and made again otherwise.
    if (existsSync(path.join(dir, READY)) && (await importedVersion(python, req.pkg)) === req.version) return { python, dir, reused: true };
    await rm(dir, { recursive: true, force: true });
    const made = await run(req.basePython, ['-m', 'venv', '--without-pip', dir]);
    if (made.exitCode !== 0) throw new Error(`could not create a venv with ${req.basePython}: ${tail(made.all ?? '')}`);
    await layerOnBase(req.basePython, python);
    const pip = await run(req.basePython, ['-m', 'pip', '--python', python, 'install', '--disable-pip-version-check', '--no-input', '--pre',
      ...pipIndexArgs(req.source), `${req.pkg}==${req.version}`]);
    if (pip.exitCode !== 0) throw new InstallError(`pip could not install ${req.pkg}==${req.version}: ${tail(pip.all ?? '')}`);
    const seen = await importedVersion(python, req.pkg);
    if (seen !== req.version) {
      throw new Error(`the venv for ${req.pkg}==${req.version} imports version '${seen}': the base environment shadows it`);
    }
    await writeFile(path.join(dir, READY), JSON.stringify({ package: req.pkg, version: req.version, basePython: req.basePython, source: req.source, createdAt: new Date().toISOString() }, null, 2) + '\n');
    return { python, dir, reused: false };
  } finally {
    await release();
  }
}

/** The version of `pkg` that `python` imports, or what it printed instead. */
async function importedVersion(python: string, pkg: string): Promise<string> {
  const seen = await run(python, ['-c', 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))', pkg]);
  return seen.exitCode === 0 ? seen.stdout.trim() : tail(seen.all ?? '');
}

/** The .pth line runs site.addsitedir on each of the base's site directories, so their own .pth files count too. */
async function layerOnBase(basePython: string, venvPython: string): Promise<void> {
  const sites = await run(basePython, ['-c', 'import json, site; print(json.dumps(site.getsitepackages()))']);
  const purelib = await run(venvPython, ['-c', 'import sysconfig; print(sysconfig.get_path("purelib"))']);
  if (sites.exitCode !== 0 || purelib.exitCode !== 0) throw new Error(`could not read the site directories: ${tail(sites.all ?? '')} ${tail(purelib.all ?? '')}`);
  const dirs = JSON.parse(sites.stdout.trim().split('\n').at(-1)!) as string[];
  const lines = dirs.map((d) => `import site; site.addsitedir(${JSON.stringify(d)})`);
  await mkdir(purelib.stdout.trim(), { recursive: true });
  await writeFile(path.join(purelib.stdout.trim(), BASE_PTH), lines.join('\n') + '\n');
}
