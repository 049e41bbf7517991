import type { Layer } from '../schemas/outcome.js';
import { layerOfPath } from './layers.js';
import type { LogLine } from './log-line.js';

/**
 * Reads the structure that error reports have across the stack, a line at a time:
 * tt-metal / UMD exceptions (`TT_THROW @ site: tt::exception`, `info:`, the message, `backtrace:`,
 * frames), Python tracebacks (frames, then `ExcType: message`, chained ones too), pytest failure
 * reports, LLVM stack dumps. Each error is a block; a line learns whether it states an error and
 * which block it belongs to, and a block learns its layer from its throw site and frames.
 */
export interface LineRole {
  block: number | null;
  /** The line states an error (not a frame, not chatter): generic rules only read such lines. */
  statesError: boolean;
  /** Logged at warning level but worded as an error: read by generic rules, ranked below real errors. */
  warnsError?: boolean;
  /** On the header of a tt-metal / UMD exception: the source file that threw. */
  site?: string;
  /** An op named on a line of its own under an "Unsupported Ops" header. */
  listedOp?: string;
  /** What the log last said it was doing: compiling, or executing on the device. */
  stage: Stage;
}

export type Stage = 'compile' | 'execute' | null;

export interface BlockFacts {
  site: string | null;
  layer: Layer | null;
}

type Mode = 'none' | 'tt-header' | 'tt-info' | 'tt-backtrace' | 'traceback' | 'statement' | 'stack-dump' | 'op-list';

const TT_HEADER = /\b(TT_FATAL|TT_THROW|TT_ASSERT|LOG_ASSERT|DEBUG_ASSERT|TT_ASSERT_THROW)\b\s*@\s*([^\s:]+):(\d+)/;
const TT_INLINE = /\b(?:TT_FATAL|TT_THROW|TT_ASSERT|LOG_ASSERT|DEBUG_ASSERT)\b[:\s]/;
const INFO = /^\{?info:\s*$/;
const BACKTRACE = /^backtrace:\s*$/;
const CPP_FRAME = /^(?:---|#\d+\s+0x[0-9a-f]+|\d+\s+0x[0-9a-f]+|0x[0-9a-f]{6,}\s)|\.so(?:\.\d+)*\(|\(\+0x[0-9a-f]+\)/i;
const PY_FRAME = /^File "([^"]+)", line \d+/;
const PYTEST_FRAME = /^([^\s:]+\.py):\d+: (?:in \w|\w*(?:Error|Exception))/;
const TRACEBACK = /^Traceback \(most recent call last\):/;
const CHAINED = /^(?:The above exception was the direct cause of the following exception|During handling of the above exception, another exception occurred):/;
// `ValueError: msg`, a bare `AssertionError`, and IPython's `TypeError      Traceback (most recent call last)`.
export const PY_EXCEPTION = /^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Failure|Fault)(?::\s|:?$| {4,}Traceback)/;
const PYTEST_SUMMARY = /^(?:FAILED|ERROR) \S+(?: - |$)/;
const STACK_DUMP = /^(?:Stack dump:|PLEASE submit a bug report|Stack trace \(most recent call)/;
const COMPILER_DIAGNOSTIC = /(?:^|[:\s)])error: /;
const STATEMENT_OPENERS = /Assertion .* failed|LLVM ERROR:|UNREACHABLE executed|terminate called|what\(\):|Fatal Python error|Check failed|Non-OK-status|Segmentation fault|core dumped/;
export const ERROR_WORDS = /\b(?:error|fatal|fail(?:ed|ure|s)?|exception|abort(?:ed|ing)?|panic|timed? ?out|hang|cannot|can't|could not|unable|not found|no such|mismatch|denied|refused|segmentation fault|core dumped|killed|invalid|unsupported|not supported|out of memory|exceed(?:s|ed)?|beyond|not completed?|did not complete|fault|unrecoverable|unresponsive|not responding|not (?:detected|present|available|implemented)|unimplemented)\b|\bBUG:|\bno (?:tenstorrent |tt )?(?:devices?|chips?|driver)\b/i;
// Progress lines of the frontends and runtimes: `Running compile stage X`, `Compiling module`,
// `Executing operation: ...`, `Running the model on device`.
const COMPILE_STAGE = /\b(?:compile stage|compiling|lowering to|running (?:the )?(?:MLIR|TTIR|TTNN|StableHLO) (?:pass|pipeline))/i;
const EXECUTE_STAGE = /\b(?:executing (?:operation|program|the model)|running (?:the )?(?:model|program|inference) on (?:the )?device|execute_trace)\b/i;
// TT-Forge lists the ops it could not lower one per line after this header.
const OP_LIST = /^Unsupported (?:Ops|operations)\b.*:/i;
const LISTED_OP = /^[A-Za-z_][\w.:]*$/;
const MAX_INFO_LINES = 40;
const MAX_FRAMES = 24;
const MAX_TRACEBACK_LINES = 400;
const MAX_KEPT_BLOCKS = 256;

interface Block extends BlockFacts {
  frameLayer: Layer | null;
  pyFrameLayer: Layer | null;
  frames: number;
}

export class ErrorStructure {
  private mode: Mode = 'none';
  private linesInMode = 0;
  private current = -1;
  private readonly blocks = new Map<number, Block>();
  private readonly pinned = new Set<number>();
  private nextId = 0;
  private lineNo = 0;
  private stage: Stage = null;
  /** A backtrace printed outside any report (a signal handler's) belongs to the error right after it. */
  private looseFrames: { layer: Layer | null; lastLine: number } | null = null;

  /** True while the lines that follow belong to an open error report and must all be read. */
  wantsContext(): boolean {
    return this.mode !== 'none' && this.mode !== 'statement';
  }

  /** Keeps a block's facts past the next block: the classifier pins the blocks its hits fell in. */
  pin(block: number): void {
    this.pinned.add(block);
  }

  facts(block: number | null): BlockFacts | null {
    if (block === null) return null;
    const b = this.blocks.get(block);
    if (!b) return null;
    return { site: b.site, layer: b.layer ?? b.frameLayer ?? b.pyFrameLayer };
  }

  /** An info or debug line outside any error report: it can only move the stage. */
  progress(text: string): void {
    if (COMPILE_STAGE.test(text)) this.stage = 'compile';
    else if (EXECUTE_STAGE.test(text)) this.stage = 'execute';
  }

  feed(line: LogLine): LineRole {
    if (COMPILE_STAGE.test(line.text)) this.stage = 'compile';
    else if (EXECUTE_STAGE.test(line.text)) this.stage = 'execute';
    const role = this.read(line) as LineRole;
    role.stage = this.stage;
    return role;
  }

  private read(line: LogLine): Omit<LineRole, 'stage'> {
    const text = line.text;
    this.linesInMode++;
    this.lineNo++;

    const header = TT_HEADER.exec(text);
    if (header) {
      // `RuntimeError: TT_THROW @ ...` ends a Python traceback whose frames stay with this error.
      if (this.mode !== 'traceback') this.open();
      const b = this.block()!;
      b.site = header[2]!;
      b.layer = layerOfPath(header[2]!);
      this.enter('tt-header');
      return { block: this.current, statesError: true, site: header[2]! };
    }
    if (TRACEBACK.test(text) || CHAINED.test(text)) {
      this.open();
      this.enter('traceback');
      return { block: this.current, statesError: false };
    }
    if (STACK_DUMP.test(text)) {
      if (this.mode === 'none') this.open();
      this.enter('stack-dump');
      return { block: this.current, statesError: false };
    }

    if (OP_LIST.test(text)) {
      this.enter('op-list');
      return { block: this.current, statesError: true };
    }
    switch (this.mode) {
      case 'op-list':
        if (LISTED_OP.test(text) && this.linesInMode <= 20) return { block: this.current, statesError: false, listedOp: text };
        this.enter('none');
        break;
      case 'tt-header':
      case 'tt-info':
        // A line with its own logger columns, or a blank line after the message, ends the report.
        if (line.severity !== null || (text === '' && this.mode === 'tt-info' && this.linesInMode > 1)) {
          this.enter('none');
          break;
        }
        if (INFO.test(text)) {
          this.enter('tt-info');
          return { block: this.current, statesError: false };
        }
        if (BACKTRACE.test(text)) {
          this.enter('tt-backtrace');
          return { block: this.current, statesError: false };
        }
        if (this.linesInMode > MAX_INFO_LINES) break;
        if (CPP_FRAME.test(text)) {
          this.frame(text);
          return { block: this.current, statesError: false };
        }
        return { block: this.current, statesError: text.length > 0 };
      case 'tt-backtrace':
      case 'stack-dump':
        if (CPP_FRAME.test(text) && this.block()!.frames < MAX_FRAMES && this.linesInMode <= MAX_FRAMES + 2) {
          this.frame(text);
          return { block: this.current, statesError: false };
        }
        this.enter('none');
        break;
      case 'traceback': {
        const py = PY_FRAME.exec(text) ?? PYTEST_FRAME.exec(text);
        if (py) {
          this.pyFrame(py[1]!);
          return { block: this.current, statesError: false };
        }
        if (PY_EXCEPTION.test(text)) {
          this.enter(TT_INLINE.test(text) ? 'tt-header' : 'statement');
          return { block: this.current, statesError: true };
        }
        if (this.linesInMode > MAX_TRACEBACK_LINES) this.enter('none');
        else return { block: this.current, statesError: false };
        break;
      }
      case 'statement': {
        if (CPP_FRAME.test(text)) {
          this.frame(text);
          return { block: this.current, statesError: false };
        }
        const py = PYTEST_FRAME.exec(text);
        if (py) {
          this.pyFrame(py[1]!);
          return { block: this.current, statesError: false };
        }
        break;
      }
    }

    if (this.mode === 'none' && CPP_FRAME.test(text)) {
      const run = this.looseFrames && this.looseFrames.lastLine === this.lineNo - 1 ? this.looseFrames : { layer: null, lastLine: 0 };
      this.looseFrames = { layer: run.layer ?? layerOfPath(text), lastLine: this.lineNo };
      return { block: null, statesError: false };
    }
    const states = this.statesError(line);
    if (states) {
      // Consecutive pytest `E` lines and a message's continuation belong to one report.
      const continues = this.mode === 'statement' && (line.pytestError || this.linesInMode <= 1);
      if (!continues) this.open();
      this.enter('statement');
      return { block: this.current, statesError: true };
    }
    if (this.mode === 'statement' && this.linesInMode > 30) this.enter('none');
    // Worded as an error but logged as a warning (or, by older tt-metal, as info): never a category,
    // yet a log holding one is not a log without errors.
    const warnsError = (line.severity === 'warning' || line.severity === 'info') && this.statesError({ ...line, severity: null });
    return { block: this.mode === 'statement' ? this.current : null, statesError: false, warnsError };
  }

  private statesError(line: LogLine): boolean {
    const text = line.text;
    if (!text) return false;
    if (line.severity === 'fatal' || line.severity === 'error') return true;
    if (line.severity === 'warning' || line.severity === 'info') return false;
    if (line.pytestError) return true;
    return (
      PY_EXCEPTION.test(text) ||
      PYTEST_SUMMARY.test(text) ||
      TT_INLINE.test(text) ||
      COMPILER_DIAGNOSTIC.test(text) ||
      STATEMENT_OPENERS.test(text) ||
      ERROR_WORDS.test(text)
    );
  }

  private block(): Block | undefined {
    return this.blocks.get(this.current);
  }

  private open(): void {
    this.current = this.nextId++;
    const loose = this.looseFrames && this.lineNo - this.looseFrames.lastLine <= 3 ? this.looseFrames.layer : null;
    this.blocks.set(this.current, { site: null, layer: null, frameLayer: loose, pyFrameLayer: null, frames: 0 });
    if (this.blocks.size > MAX_KEPT_BLOCKS) {
      for (const id of this.blocks.keys()) {
        if (this.blocks.size <= MAX_KEPT_BLOCKS / 2) break;
        if (id !== this.current && !this.pinned.has(id)) this.blocks.delete(id);
      }
    }
  }

  private enter(mode: Mode): void {
    this.mode = mode;
    this.linesInMode = 0;
  }

  /** The innermost C++ frame with a known library decides (frames print innermost first). */
  private frame(text: string): void {
    const b = this.block();
    if (!b) return;
    b.frames++;
    b.frameLayer ??= layerOfPath(text);
  }

  /** Python prints the innermost frame last: each known one replaces the previous. */
  private pyFrame(file: string): void {
    const b = this.block();
    if (!b) return;
    b.pyFrameLayer = layerOfPath(file) ?? b.pyFrameLayer;
  }
}
