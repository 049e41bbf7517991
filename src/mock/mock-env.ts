import type { MockSystem } from '../schemas/device.js';

/** Variables that make a probe, or detection, target a mock system; none of them is set on a hardware run. */
export const MOCK_ENV_NAMES = ['TTPROBE_MOCK', 'TT_METAL_MOCK_CLUSTER_DESC_PATH'] as const;

/**
 * tt-metal reads TT_METAL_MOCK_CLUSTER_DESC_PATH; probes read TTPROBE_MOCK (the tier of a shipped
 * descriptor, `custom` for a user's own) to stop after compiling.
 */
export function mockEnv(mock: MockSystem): Record<(typeof MOCK_ENV_NAMES)[number], string> {
  return {
    TTPROBE_MOCK: mock.source === 'shipped' ? mock.tier : 'custom',
    TT_METAL_MOCK_CLUSTER_DESC_PATH: mock.descriptor,
  };
}
