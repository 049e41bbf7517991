import type { CatalogEntry, EmitSite } from '../schemas/catalog.js';

/**
 * A catalog entry is written from the code that prints its message, so it must match that message
 * however a log carries it: the wrappers below are the ones real logs and issues put around it.
 */

// fmt / Python format fields ({}, {:#x}, {name!r}, {x:.6f}), printf conversions (%s, %d, %#x) and
// CPython's PyUnicode_FromFormat ones (%R, %S, %U, %V, %A).
const PLACEHOLDER = /\{[^{}\s]*\}|%[-#0 +]*\d*(?:\.\d+)?(?:l{0,2}|z)[sdiuxXfgeRrSUVAc]/g;

function defaultValue(placeholder: string): string {
  if (/#0?\d*x/.test(placeholder)) return '0x1f';
  if (/x\}?$/i.test(placeholder)) return '1f';
  if (/[fge]\}?$/.test(placeholder) && /[.%:]/.test(placeholder)) return '0.5';
  return '7';
}

export const emitSites = (entry: CatalogEntry): EmitSite[] => (entry.source === undefined ? [] : Array.isArray(entry.source) ? entry.source : [entry.source]);

/** The message the emit site prints, its placeholders filled with the site's sample values or a number. */
export function instantiate(site: EmitSite): string {
  let i = 0;
  return site.format.replace(PLACEHOLDER, (p) => site.values[i++] ?? defaultValue(p));
}

export interface Wrapped {
  wrapper: string;
  text: string;
}

const swapCase = (s: string) => (s[0] === s[0]!.toUpperCase() ? s[0]!.toLowerCase() : s[0]!.toUpperCase()) + s.slice(1);

/** Runtime libraries raise through TT_FATAL / TT_THROW (tt-metal) or UMD_THROW, which print this block. */
const THROWS_TT_EXCEPTION = new Set(['tenstorrent/tt-metal', 'tenstorrent/tt-umd']);

export function wrappings(message: string, site: EmitSite): Wrapped[] {
  const m = message;
  const out: Wrapped[] = [
    { wrapper: 'bare', text: m },
    { wrapper: 'tt-metal logger columns', text: `2026-12-05 09:10:18.611 | critical |          Always | ${m} (assert.hpp:104)` },
    { wrapper: 'loguru columns', text: `2026-01-12 19:03:19.870 | ERROR    | forge.compile:run:212 - ${m}` },
    { wrapper: 'tt-xla LOG_F', text: `2026-12-05 09:10:18.611 (   4.840s) [        357C6B80]      module_builder.cc:1007   ERR| ${m}` },
    { wrapper: 'pytest E', text: `E       RuntimeError: ${m}` },
    { wrapper: 'Python exception', text: `RuntimeError: ${m}` },
    { wrapper: 'PJRT INTERNAL', text: `jaxlib._jax.XlaRuntimeError: INTERNAL: ${m}` },
    { wrapper: 'sentence case', text: swapCase(m) },
    { wrapper: 'issue quote', text: `> ${m}` },
    { wrapper: 'issue bold', text: `**${m}**` },
    { wrapper: 'one-line excerpt in backquotes', text: `I get \`${m}\` when I run it` },
  ];
  if (THROWS_TT_EXCEPTION.has(site.repo)) {
    out.push({
      wrapper: 'TT_FATAL block',
      text: ['RuntimeError: TT_FATAL @ /work/tt_metal/impl/device/x.cpp:42: cond', 'info:', m, 'backtrace:', ' --- /venv/lib/libtt_metal.so(+0x1234) [0x7f0000001234]'].join('\n'),
    });
  }
  if (/'[^']+'/.test(m)) {
    out.push({ wrapper: 'double quotes', text: m.replace(/'/g, '"') });
    out.push({ wrapper: 'backquotes', text: m.replace(/'/g, '`') });
  }
  return out;
}
