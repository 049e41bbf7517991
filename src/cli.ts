import { Command, CommanderError, Option } from 'commander';
import { TtprobeError, ExitCode } from './errors.js';
import { TOOL_VERSION } from './version.js';
import { CHANGE_KINDS, DEFAULT_FAIL_ON } from './schemas/change-kinds.js';

// Commands load their modules on demand: `ttprobe classify` on a big log should not carry the runner
// and the report templates in memory.
const commands = {
  detect: () => import('./commands/detect.js'),
  run: () => import('./commands/run.js'),
  classify: () => import('./commands/classify.js'),
  report: () => import('./commands/report.js'),
  site: () => import('./commands/site.js'),
  nightly: () => import('./commands/nightly.js'),
  evaluate: () => import('./commands/evaluate.js'),
  suggest: () => import('./commands/suggest.js'),
  bisect: () => import('./commands/bisect.js'),
  list: () => import('./commands/list.js'),
};

const out = (s: string) => process.stdout.write(s);
const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];
const repeat = (value: string, previous: string[]) => [...previous, value];
const PYTHON_HELP = 'probe Python for every stack, or STACK=PATH for one stack (repeatable); overrides the config';
const CONFIG_HELP = 'this machine\'s settings (default: ./ttprobe.config.json when present)';

/** Every top-level command, so that one asked for by name can be built alone. */
const COMMAND_NAMES = new Set(['detect', 'run', 'list', 'classify', 'reclassify', 'catalog', 'report', 'compare', 'bisect', 'baseline', 'history', 'merge', 'site']);

function program(argv: string[]): Command {
  // Only the command named is built: defining all of them is a tenth of `compare`'s start-up. The top
  // level's help, `help CMD` and the suggestion for a mistyped command see them all (catalog's group is small).
  const wants = (name: string) => !COMMAND_NAMES.has(argv[2] ?? '') || argv[2] === name;
  const cli = new Command('ttprobe')
    .description('Tenstorrent capability harness: detect the device, run the probe matrix, classify, report.')
    .version(TOOL_VERSION)
    .exitOverride();

  if (wants('detect')) cli
    .command('detect')
    .description('detect Tenstorrent devices, the system tier and the usable software stacks')
    .option('--json', 'print the device report as JSON')
    .option('--snapshot <file>', 'read a saved `tt-smi -s` snapshot instead of calling tt-smi')
    .option('--config <file>', CONFIG_HELP)
    .option('--python <path>', PYTHON_HELP, repeat, [])
    .option('--wait-lock <seconds>', 'wait this long for a device another ttprobe holds (default: refuse at once)')
    .action(async (flags) => {
      await (await commands.detect()).detectCommand(flags, out);
    });

  if (wants('run')) cli
    .command('run')
    .description('run the probe matrix and record every outcome')
    .addOption(new Option('--target <target>', 'where probes must compute (default: what detect found)').choices(['tt', 'gpu', 'cpu']))
    .addOption(new Option('--size <size>', 'model sizes').choices(['tiny', 'full']).default('tiny'))
    .option('--devices <n>', 'devices to shard over (default: the config\'s devices, else $TTPROBE_DEVICES, else 1)')
    .option('--probe <id>', 'only this probe (repeatable, or comma-separated)', collect, [])
    .option('--stack <stack>', 'only this stack: tt-xla, tt-metal', collect, [])
    .option('--tag <tag>', 'only probes with this tag', collect, [])
    .option('--shard <i/n>', 'run slice i of n of the matrix')
    .option('--jobs <n>', 'parallel probes among those that need no device', '1')
    .option('--wait-lock <seconds>', 'wait this long for a busy device (default: refuse at once)')
    .option('--resume <runDir>', 'finish an interrupted run')
    .option('--probes-dir <dir>', 'where probe folders live')
    .option('--runs-dir <dir>', 'where run directories are created', 'reports/runs')
    .option('--config <file>', CONFIG_HELP)
    .option('--python <path>', PYTHON_HELP, repeat, [])
    .option('--snapshot <file>', 'use a saved tt-smi snapshot for detection')
    .option('--mock <tierOrFile>', 'compile for a mock system, touching no device: a tier (n150, n300, t3k, galaxy, p100, p150, p300) or your own tt-umd cluster descriptor; probes stop after compiling (status compiled)')
    .option('--catalog <file>', 'known-error catalog')
    .option('--no-report', 'do not write the report at the end')
    .option('--retries <n>', 're-run a failing probe up to n times; a later pass is flagged flaky', '0')
    .option('--baseline <fileOrRun>', 'expected outcomes; unexpected failures or skips make the exit code 1, a broken environment 4')
    .option('--flakes <file>', 'known flakes (schemas/known-flakes.schema.json): retried, and marked in their outcomes')
    .action(async (flags) => {
      // First signal: end the probe gracefully (SIGTERM, then SIGKILL after the grace period) and close
      // the record. Second: SIGKILL the probe group now, still closing the record. Third: leave at once.
      const graceful = new AbortController();
      const forceful = new AbortController();
      let interrupts = 0;
      const onSignal = () => {
        interrupts++;
        if (interrupts === 1) {
          process.stderr.write('\nttprobe: interrupted; ending the running probe and recording the partial run (Ctrl-C again to kill it now)\n');
          graceful.abort();
        } else if (interrupts === 2) {
          process.stderr.write('\nttprobe: killing the running probe now; the run is still recorded (Ctrl-C again to quit at once)\n');
          forceful.abort();
        } else {
          process.exit(ExitCode.interrupted);
        }
      };
      // SIGHUP: the terminal or ssh session went away; the probe must not outlive the run.
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
      const { record, brokenSincePrevious } = await (await commands.run()).runCommand(flags, out, graceful.signal, forceful.signal);
      if (record.state === 'interrupted') process.exitCode = ExitCode.interrupted;
      else if (record.baseline?.brokenEnvironment.length || brokenSincePrevious.length) process.exitCode = ExitCode.brokenEnvironment;
      else if (record.baseline?.unexpectedFailures.length || record.baseline?.unexpectedSkips.length) process.exitCode = ExitCode.regressions;
    });

  if (wants('list')) cli
    .command('list')
    .description("list the probes, stacks and tags, and what --probe/--stack/--tag/--shard select: run's selection, nothing run")
    .option('--probe <id>', 'only this probe (repeatable, or comma-separated)', collect, [])
    .option('--stack <stack>', 'only this stack: tt-xla, tt-metal', collect, [])
    .option('--tag <tag>', 'only probes with this tag', collect, [])
    .option('--shard <i/n>', 'slice i of n of the selection, as run --shard takes it')
    .option('--probes-dir <dir>', 'where probe folders live')
    .option('--json', 'JSON output (schemas/probe-list.schema.json)')
    .action(async (flags) => {
      await (await commands.list()).listCommand(flags, out);
    });

  if (wants('classify')) cli
    .command('classify')
    .description('classify raw logs (files or - for stdin) against the catalog')
    .argument('<files...>')
    .option('--json', 'JSON output')
    .option('--catalog <file>', 'known-error catalog')
    .action(async (files: string[], flags) => {
      await (await commands.classify()).classifyCommand(files, flags, out);
    });

  if (wants('reclassify')) cli
    .command('reclassify')
    .description("re-apply the current catalog to a stored run's logs, keeping the old verdicts")
    .argument('<runDir>')
    .option('--catalog <file>', 'known-error catalog')
    .action(async (runDir: string, flags) => {
      await (await commands.classify()).reclassifyCommand(runDir, flags, out);
    });

  const catalog = cli.command('catalog').description('catalog tools');
  catalog
    .command('check')
    .description("validate the catalog and run every entry's examples")
    .argument('[file]')
    .action(async (file: string | undefined) => {
      const ok = await (await commands.classify()).catalogCheckCommand(file, out);
      if (!ok) process.exitCode = 1;
    });
  catalog
    .command('suggest')
    .description('cluster the unknown failures of stored runs and draft a catalog entry for each, for review')
    .argument('<runsDir>')
    .option('--out <file>', 'write the drafted catalog here (default: stdout)')
    .action(async (runsDir: string, flags) => {
      await (await commands.suggest()).suggestCommand(runsDir, flags, out, (s) => process.stderr.write(s));
    });
  catalog
    .command('eval')
    .description('score the catalog on a labelled corpus of real logs: per-category precision and recall, confusion, ops, leave-one-repository-out, time split, excerpts vs full logs')
    .option('--corpus <dir>', 'corpus folder with labels.d/*.jsonl (or labels.jsonl) and logs/ (default: fixtures/corpus)')
    .option('--cutoff <YYYY-MM-DD>', 'time split: issues opened before this day against those opened on or after it (default: 2025-06-01)')
    .option('--catalog <file>', 'known-error catalog')
    .option('--json', 'print the scores as JSON')
    .option('--wrong', 'list every log the catalog gets wrong')
    .action(async (flags) => {
      await (await commands.evaluate()).evaluateCommand(flags, out);
    });

  if (wants('report')) cli
    .command('report')
    .description('render the report of a run')
    .argument('<runDir>')
    .option('--format <list>', 'html,md,json,junit', 'html,md,json,junit')
    .option('--out <dir>', 'output directory (default: RUN_DIR/report)')
    .action(async (runDir: string, flags) => {
      await (await commands.report()).reportCommand(runDir, flags, out);
    });

  if (wants('compare')) cli
    .command('compare')
    .description('what changed between two runs, or two sets of runs (releases); exit 1 on what --fail-on names, 4 on a broken environment')
    .argument('<base>', 'a run directory, or a directory of runs')
    .argument('<new>', 'a run directory, or a directory of runs')
    .option('--json', 'JSON output')
    .option('--md', 'Markdown output (for a PR comment)')
    .option('--fail-on <kinds>', `what makes the exit code 1, any of: ${CHANGE_KINDS.join(', ')} (default: ${DEFAULT_FAIL_ON.join(',')})`)
    .option('--time-threshold <fraction>', 'relative execute-time change to report (default 0.2)')
    .option('--flakes <file>', 'known flakes: their changes are reported as flaky, never as regressions')
    .action(async (base: string, next: string, flags) => {
      process.exitCode = await (await commands.nightly()).compareCommand(base, next, flags, out);
    });

  if (wants('bisect')) cli
    .command('bisect')
    .description("find the first version of a package whose verdict on a probe differs from the good version's; exit 1 when it finds one")
    .requiredOption('--probe <id>', 'the probe to run')
    .requiredOption('--package <name>', 'the Python package to bisect, e.g. pjrt-plugin-tt')
    .requiredOption('--good <version>', 'a version with the old verdict')
    .requiredOption('--bad <version>', 'a version with the new verdict')
    .option('--index <urlOrDir>', "package index URL or local folder of wheels (default: pip's configured index)")
    .option('--repeat <n>', 'runs per version, to tell a flake from a change', '1')
    .addOption(new Option('--target <target>', 'where the probe must compute (default: what detect found)').choices(['tt', 'gpu', 'cpu']))
    .addOption(new Option('--size <size>', 'model sizes').choices(['tiny', 'full']).default('tiny'))
    .option('--devices <n>', 'devices to shard over')
    .option('--probes-dir <dir>', 'where probe folders live')
    .option('--runs-dir <dir>', 'where the bisect folder of runs is created', 'reports/bisect')
    .option('--cache-dir <dir>', 'where the per-version venvs are cached (default: $TTPROBE_CACHE_DIR/venvs or ~/.cache/ttprobe/venvs)')
    .option('--python <path>', 'the base interpreter whose environment each version venv reuses')
    .option('--snapshot <file>', 'use a saved tt-smi snapshot for detection')
    .option('--mock <tierOrFile>', 'bisect compile verdicts on a mock system (a tier or your own tt-umd cluster descriptor), touching no device')
    .option('--catalog <file>', 'known-error catalog')
    .option('--wait-lock <seconds>', 'wait this long for a busy device (default: refuse at once)')
    .action(async (flags) => {
      const interrupted = new AbortController();
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.on(sig, () => {
          if (interrupted.signal.aborted) process.exit(ExitCode.interrupted);
          process.stderr.write('\nttprobe: interrupted; ending the running probe (again to quit at once)\n');
          interrupted.abort();
        });
      }
      process.exitCode = await (await commands.bisect()).bisectCommand(flags, out, interrupted.signal);
    });

  if (wants('baseline')) cli
    .command('baseline')
    .description('print a baseline (expected outcomes) taken from a run')
    .argument('<runDir>')
    .action(async (runDir: string) => {
      await (await commands.nightly()).baselineCommand(runDir, out);
    });

  if (wants('history')) cli
    .command('history')
    .description('list stored runs by date, device and versions; flag flaky probes and consistent failures')
    .argument('[runsDir]', 'where runs accumulate', 'reports/runs')
    .option('--json', 'JSON output')
    .action(async (runsDir: string, flags) => {
      await (await commands.nightly()).historyCommand(runsDir, flags, out);
    });

  if (wants('merge')) cli
    .command('merge')
    .description('join the shards of one nightly into one run')
    .argument('<runDirs...>')
    .requiredOption('--out <dir>', 'the merged run directory')
    .action(async (dirs: string[], flags) => {
      await (await commands.nightly()).mergeCommand(dirs, flags, out);
    });

  if (wants('site')) cli
    .command('site')
    .description('build the static support-status site over every run found')
    .argument('<runsDir>')
    // Checked in the action, not by commander: a missing runs folder must be the first complaint.
    .option('--out <dir>', 'output directory, required (replaced whole: only an empty folder or a site ttprobe made, unless --force)')
    .option('--force', 'replace --out even when it is a file or a folder of other files')
    .option('--catalog <file>', 'known-error catalog')
    .option('--since <date>', 'only runs started on or after this date')
    .option('--last <n>', 'only the last n runs of each system')
    .option('--stale-after <duration>', 'a system whose latest run is older than this is stale (2d, 36h, ...)', '2d')
    .option('--fail-on-stale', 'exit 1 when a system is stale (nightly data stopped arriving)')
    .option('--cache <file>', 'run-record cache (default: $TTPROBE_CACHE_DIR/site/<out name>-<hash>.ttprobe-cache.json, never inside --out)')
    .option('--no-cache', 'read every run record, keeping no cache')
    .action(async (runsDir: string, flags) => {
      if (!flags.out) throw new TtprobeError('usage', "site: --out DIR is required: where the site is written (e.g. ttprobe site reports/runs --out site)");
      const result = await (await commands.site()).siteCommand(runsDir, flags, out);
      if (result.failed) process.exitCode = ExitCode.regressions;
    });

  usageAfterErrors(cli);
  return cli;
}

/**
 * After a usage error (an unknown or mistyped flag, a missing argument) commander prints its message
 * and suggestion; then one usage line of the command, not its whole help, which buries the message.
 */
function usageAfterErrors(cmd: Command, parents: string[] = []): void {
  const name = [...parents, cmd.name()].join(' ');
  cmd.showHelpAfterError(`Usage: ${name} ${cmd.usage()}\n(${name} --help lists every option)`);
  for (const sub of cmd.commands) usageAfterErrors(sub, [...parents, cmd.name()]);
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program(argv).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : ExitCode.usage;
    }
    if (err instanceof TtprobeError) {
      process.stderr.write(`ttprobe: error: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`ttprobe: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 70;
  }
}
