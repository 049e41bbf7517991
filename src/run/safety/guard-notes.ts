import { GUARD_WALK_CAP, type GuardReport } from './run-dir-guard.js';

export const guardCutShort = (folder: string): string =>
  `the run-directory guard walked the first ${GUARD_WALK_CAP} entries of ${folder} and stopped: later changes to what lies beyond them go unnoticed`;

/** The notes an outcome carries for what the run-directory guard saw while its probe ran. */
export function guardNotes(report: GuardReport): string[] {
  return [
    ...report.written.map((f) => `wrote outside its output folder: ${f}`),
    ...report.deleted.map((f) => `deleted outside its output folder: ${f}`),
    ...(report.uncounted ? [`and more changes outside its output folder than the ${GUARD_WALK_CAP} listed`] : []),
    ...report.cutShort.map(guardCutShort),
    ...(report.unwatched ? [`the run-directory guard could not watch ${report.unwatched.count} folder(s) (${report.unwatched.reason}); changes in them go unnoticed`] : []),
  ];
}
