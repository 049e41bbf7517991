import { fileURLToPath } from 'node:url';

/** The catalog shipped with ttprobe; its own module so light readers need not load the classifier. */
export const DEFAULT_CATALOG_FILE = fileURLToPath(new URL('../../catalog/known-errors.json', import.meta.url));
