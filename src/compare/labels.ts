import type { Fingerprint } from '../schemas/run-record.js';

/** The fingerprint's fields as a person reads them; JSON keeps the field names. */
export const FIELD_LABELS: Record<keyof Fingerprint, string> = {
  tier: 'System',
  firmwareBundle: 'Firmware bundle',
  kmd: 'KMD',
  plugin: 'TT-XLA PJRT plugin',
  ttMetal: 'tt-metal',
  jax: 'JAX',
  jaxlib: 'jaxlib',
  host: 'Host',
};

export const fieldLabel = (field: string) => FIELD_LABELS[field as keyof Fingerprint] ?? field;
