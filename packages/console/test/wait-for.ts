/** Resolves once `check()` holds, polling on the event loop; rejects after a few thousand rounds. */
export function waitFor(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let rounds = 0;
    const tick = () => {
      if (check()) return resolve();
      if ((rounds += 1) > 5000) return reject(new Error('condition not met'));
      setTimeout(tick, 1);
    };
    tick();
  });
}
