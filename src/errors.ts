/** Exit codes are part of the CLI contract; README documents them. */
export const ExitCode = {
  ok: 0,
  regressions: 1,
  usage: 2,
  deviceBusy: 3,
  /** A stack that ran in the reference (previous run, baseline) cannot run now: fix the machine, not the code. */
  brokenEnvironment: 4,
  interrupted: 130,
} as const;

export type ErrorCode =
  | 'usage'
  | 'invalid-input'
  | 'not-found'
  | 'device-busy'
  /** Another ttprobe holds what this one needs (e.g. a site build of the same --out). */
  | 'busy'
  /** A live runner holds the run directory that --resume was pointed at. */
  | 'run-busy'
  | 'interrupted'
  | 'internal';

/** Every error the library raises on purpose: a stable code, where it happened, and the cause. */
export class TtprobeError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly field?: string;

  constructor(code: ErrorCode, message: string, opts: { file?: string; field?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'TtprobeError';
    this.code = code;
    this.file = opts.file;
    this.field = opts.field;
  }

  get exitCode(): number {
    switch (this.code) {
      case 'usage':
      case 'invalid-input':
      case 'not-found':
        return ExitCode.usage;
      case 'device-busy':
      case 'busy':
      case 'run-busy':
        return ExitCode.deviceBusy;
      case 'interrupted':
        return ExitCode.interrupted;
      default:
        return 70;
    }
  }
}

export function invalidInput(file: string, field: string, problem: string): TtprobeError {
  const where = field ? `${file}: field '${field}'` : file;
  return new TtprobeError('invalid-input', `${where}: ${problem}`, { file, field });
}
