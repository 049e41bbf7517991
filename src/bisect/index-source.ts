import { stat } from 'node:fs/promises';
import path from 'node:path';
import { TtprobeError } from '../errors.js';

/** Where versions come from: pip's own configuration, a package index URL, or a local folder of wheels. */
export type IndexSource = { kind: 'pip-config' } | { kind: 'url'; url: string } | { kind: 'dir'; dir: string };

export async function indexSource(index: string | undefined): Promise<IndexSource> {
  if (index === undefined) return { kind: 'pip-config' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(index)) return { kind: 'url', url: index };
  const dir = path.resolve(index);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new TtprobeError('usage', `--index: '${index}' is neither a URL nor a directory of wheels`, { field: '--index' });
  return { kind: 'dir', dir };
}

/** pip's arguments for that source; with none, pip uses the index it is configured with (pip.conf, PIP_INDEX_URL). */
export function pipIndexArgs(source: IndexSource): string[] {
  switch (source.kind) {
    case 'pip-config':
      return [];
    case 'url':
      return ['--index-url', source.url];
    case 'dir':
      return ['--no-index', '--find-links', source.dir];
  }
}

export function describeSource(source: IndexSource): string {
  return source.kind === 'pip-config' ? "pip's configured index" : source.kind === 'url' ? source.url : source.dir;
}
