/** What a long poll needs of the raw response: its `close` event. */
export interface ClosingResponse {
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * The signal of a long poll, aborted when the caller hangs up while the poll waits. `release()`
 * once the poll has its answer: the response closes after every answer too, and aborting then
 * would tell nothing to anyone but still build an AbortError (a DOMException, with its stack) per
 * poll, on the dispatch hot path.
 */
export function pollHangUp(response: ClosingResponse): { signal: AbortSignal; release(): void } {
  const hangUp = new AbortController();
  const onClose = (): void => hangUp.abort();
  response.once('close', onClose);
  return { signal: hangUp.signal, release: () => response.off('close', onClose) };
}
