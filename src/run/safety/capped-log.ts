import { createWriteStream, type WriteStream } from 'node:fs';
import type { Redactor } from '../../environment/redact.js';

export interface LogLimits {
  headBytes: number;
  tailBytes: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { headBytes: 32 * 1024 * 1024, tailBytes: 8 * 1024 * 1024 };

/**
 * Writes the first `headBytes` straight to disk and keeps only the last `tailBytes` in memory after
 * that, so a probe printing gigabytes costs bounded memory and disk, and the end (where the error is) survives.
 */
export class CappedLog {
  private readonly out: WriteStream;
  private written = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private dropped = 0;

  constructor(
    readonly file: string,
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
    private readonly redactor?: Redactor,
  ) {
    this.out = createWriteStream(file);
  }

  write(chunk: Buffer): void {
    if (this.redactor?.active) chunk = this.redactor.push(chunk);
    this.keep(chunk);
  }

  private keep(chunk: Buffer): void {
    const room = this.limits.headBytes - this.written;
    if (room > 0) {
      const head = chunk.subarray(0, room);
      this.out.write(head);
      this.written += head.length;
      chunk = chunk.subarray(head.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    while (this.tailSize - this.tail[0]!.length >= this.limits.tailBytes) {
      const first = this.tail.shift()!;
      this.tailSize -= first.length;
      this.dropped += first.length;
    }
  }

  get truncatedBytes(): number {
    return this.dropped + Math.max(0, this.tailSize - this.limits.tailBytes);
  }

  async close(): Promise<void> {
    if (this.redactor?.active) this.keep(this.redactor.flush());
    let tail = Buffer.concat(this.tail);
    const excess = tail.length - this.limits.tailBytes;
    if (excess > 0) {
      tail = tail.subarray(excess);
      this.dropped += excess;
    }
    if (this.dropped > 0) {
      this.out.write(`\n[ttprobe: ${this.dropped} bytes of output cut here; the last ${tail.length} bytes follow]\n`);
    }
    // An empty write is still a system call through the thread pool, once per log per probe.
    if (tail.length) this.out.write(tail);
    this.tail = [];
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
