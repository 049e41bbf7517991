#!/usr/bin/env node
// dist/bundle/ttprobe.js is dist/cli.js bundled (scripts/bundle-cli.mjs): the same code, started faster.
import { main } from '../dist/bundle/ttprobe.js';

const code = await main(process.argv);
// Exit only once what was written to a pipe has drained: process.exit() drops queued output.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
