/**
 * A status as people read it. `compiled` is said with its mock every time: a reader skimming a
 * report must never take a compile on a mock system for a result computed on hardware.
 */
export const statusLabel = (status: string) => (status === 'compiled' ? 'compiled (mock)' : status);
