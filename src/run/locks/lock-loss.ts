/**
 * A run whose run or device lock is taken away ends as an interrupted run does (its probes ended,
 * its record closed as interrupted): another process may be writing its folder or using its device.
 */
export function endOnLockLoss(signal: AbortSignal | undefined, say: (line: string) => void) {
  const ended = new AbortController();
  return {
    signal: signal ? AbortSignal.any([signal, ended.signal]) : ended.signal,
    watch(lost: AbortSignal) {
      const end = () => {
        if (ended.signal.aborted) return;
        say(`${String(lost.reason)}; ending the run and recording it as interrupted`);
        ended.abort();
      };
      if (lost.aborted) end();
      else lost.addEventListener('abort', end, { once: true });
    },
  };
}
