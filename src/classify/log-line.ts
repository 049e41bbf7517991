/**
 * One log line as the classifier reads it: the message with the wrappers that tools put around it
 * removed (pytest's `E   `, MPI rank tags, timestamps, loguru and tt-metal logger columns, glog
 * headers), and the severity those wrappers announced.
 */
export type Severity = 'fatal' | 'error' | 'warning' | 'info' | null;

export interface LogLine {
  text: string;
  severity: Severity;
  /** Printed by pytest as part of a failure report (`E   ` lines). */
  pytestError: boolean;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const PYTEST_E = /^E {1,8}/;
const MPI_RANK = /^\[\d+,\d+\]<(?:stdout|stderr)>:\s?/;
const GITHUB_ACTIONS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z\s/;
// glog / absl: `F0115 12:34:56.789012  1234 file.cc:12] message`
const GLOG = /^([FEWI])\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+\s+[^\]\s]+\]\s?/;
const GLOG_SEVERITY: Record<string, Severity> = { F: 'fatal', E: 'error', W: 'warning', I: 'info' };
// loguru (C++), which tt-xla's PJRT plugin logs through (LOG_F / DLOG_F):
// `2026-12-05 09:10:18.611 (   4.840s) [        357C6B80]      module_builder.cc:1007   ERR| msg`;
// a digit in the level column is a verbosity (debug) level.
const LOGURU_CPP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+ \(\s*[\d.]+s\) \[[^\]]{0,40}\]\s+[\w.-]{1,80}:\d+\s+(FATL|ERR|WARN|INFO|\d)\|\s?/;
const LOGURU_CPP_SEVERITY: Record<string, Severity> = { FATL: 'fatal', ERR: 'error', WARN: 'warning', INFO: 'info' };
// Column loggers: `2026-01-12 19:03:19.870 | critical |  Always | msg`, `  Always | FATAL | msg`,
// loguru's `2024-01-01 12:00:00.000 | ERROR    | module:function:12 - msg`.
const LEVEL_COLUMN = /^(?:[^|]{0,40}\|\s*)?(critical|fatal|error|warning|warn|info|debug|trace)\s*\|\s?/i;
const LOGGER_COLUMN = /^[\w.-]{1,24}\s*\|\s?/;
const LOGURU_SOURCE = /^[\w.<>]+:[\w.<>]+:\d+ - /;
const BRACKET_LEVEL = /^(?:\[[^\]]{0,40}\]\s*)?\[(critical|fatal|error|warning|warn|info|debug|trace)\]\s*/i;
const PLAIN_LEVEL = /^(CRITICAL|FATAL|ERROR|WARNING|WARN|INFO|DEBUG)(?::|\s+-|\s+\|)\s*/;
const COMPILER_WARNING = /(?:^|: )warning: /;

function levelOf(word: string): Severity {
  const w = word.toLowerCase();
  if (w === 'critical' || w === 'fatal') return 'fatal';
  if (w === 'error') return 'error';
  if (w === 'warning' || w === 'warn') return 'warning';
  return 'info';
}

export function readLogLine(raw: string): LogLine {
  let text = raw.replace(ANSI, '').replace(GITHUB_ACTIONS_TIME, '').replace(MPI_RANK, '');
  const pytestError = PYTEST_E.test(text);
  if (pytestError) text = text.replace(PYTEST_E, '');
  text = text.trim();
  let severity: Severity = null;

  const glog = GLOG.exec(text);
  const loguru = glog ? null : LOGURU_CPP.exec(text);
  if (loguru) {
    severity = LOGURU_CPP_SEVERITY[loguru[1]!] ?? 'info';
    text = text.slice(loguru[0].length);
  } else if (glog) {
    severity = GLOG_SEVERITY[glog[1]!]!;
    text = text.slice(glog[0].length);
  } else {
    const column = LEVEL_COLUMN.exec(text) ?? BRACKET_LEVEL.exec(text) ?? PLAIN_LEVEL.exec(text);
    if (column) {
      severity = levelOf(column[1]!);
      text = text.slice(column[0].length);
      // tt-metal prints the logger's name after the level (`| critical |   Always | msg`).
      const logger = LOGGER_COLUMN.exec(text);
      if (logger) text = text.slice(logger[0].length);
      const source = LOGURU_SOURCE.exec(text);
      if (source) text = text.slice(source[0].length);
    } else {
      // tt-metal's older order: `                 Always | FATAL    | msg`.
      const named = /^[\w.-]{1,24}\s*\|\s*(critical|fatal|error|warning|warn|info|debug|trace)\s*\|\s?/i.exec(text);
      if (named) {
        severity = levelOf(named[1]!);
        text = text.slice(named[0].length);
      }
    }
  }
  // `UserWarning: ` and the like: any word ending in `Warning: ` (the word starts at a boundary,
  // so this is /\b\w*Warning: / without the regex's backtracking at every word).
  if (severity === null && (text.includes('Warning: ') || COMPILER_WARNING.test(text))) severity = 'warning';
  return { text: text.trim(), severity, pytestError };
}
