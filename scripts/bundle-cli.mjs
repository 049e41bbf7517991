// Bundles the compiled CLI (dist/cli.js and everything it imports, node_modules included) into
// dist/bundle/: ttprobe.js, which bin/ttprobe.js runs, and one chunk per command and shared part, so a
// command loads only what it uses. Node 20 resolves, reads and links each of the ~570 module files on
// its own; a few files instead cut about 0.3 s from the start of a run. The per-module dist/ stays for
// library users and the benchmarks.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const outdir = path.join(root, 'dist', 'bundle');
// Chunks are named by their hash: without this, every build would leave the last one's beside it.
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: [path.join(root, 'dist', 'cli.js')],
  outdir,
  entryNames: 'ttprobe',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // CommonJS packages (ajv, handlebars, write-file-atomic) inside an ES module still expect these.
  banner: {
    js: [
      "import { createRequire as __ttprobeCreateRequire } from 'node:module';",
      "import { fileURLToPath as __ttprobeFileUrlToPath } from 'node:url';",
      'const require = __ttprobeCreateRequire(import.meta.url);',
      'const __filename = __ttprobeFileUrlToPath(import.meta.url);',
      "const __dirname = __ttprobeFileUrlToPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
});
