/** A promise to await the next time something happens (a one-shot event, not a sleep). */
export function nextTime<T = void>(): { promise: Promise<T>; fire(value: T): void } {
  let fire!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}
