import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

/** The catalog shipped with ttprobe; its own module so light readers need not load the classifier. */
export const DEFAULT_CATALOG_FILE = path.join(PACKAGE_ROOT, 'catalog', 'known-errors.json');
