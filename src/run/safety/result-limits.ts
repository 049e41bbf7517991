/**
 * A result file is a small summary; logs and artifacts carry the bulk. The bounds keep one probe from
 * crashing the runner (deep nesting overflows the stack of every JSON walker down the line) or from
 * copying megabytes into the journal, the record and every report.
 */
export const MAX_RESULT_BYTES = 1024 * 1024;
export const MAX_RESULT_DEPTH = 64;

/** Whether JSON text nests arrays and objects deeper than `max`, found without parsing it. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
