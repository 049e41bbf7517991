import { parse } from 'yaml';

/** YAML text to a value: its own module so that only a --mock run loads the parser (a dynamic import of it). */
export function parseYaml(text: string): unknown {
  return parse(text);
}
