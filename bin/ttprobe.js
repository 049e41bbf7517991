#!/usr/bin/env node
import { main } from '../dist/cli.js';

const code = await main(process.argv);
// Exit only once what was written to a pipe has drained: process.exit() drops queued output.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
