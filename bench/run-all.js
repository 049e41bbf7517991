// npm run bench: every benchmark script in turn; each prints its own figures.
import { execa } from 'execa';

const scripts = process.argv.slice(2).length ? process.argv.slice(2) : ['classify.js', 'site.js', 'runner.js', 'compare.js', 'matrix.js', 'mock-xla.js'];
for (const script of scripts) {
  console.log(`\n== ${script}`);
  await execa('node', [new URL(script, import.meta.url).pathname], { stdio: 'inherit' });
}
