/** How a GroupCommit groups its items. */
export interface GroupCommitOptions<Item> {
  /** Statements in flight at once; items arriving meanwhile wait and go together in the next one. */
  maxInFlight: number;
  /** At most this much weight per statement (an item is never split; one item alone may exceed it). */
  maxWeight?: number;
  /** An item's weight (default 1): e.g. how many rows it writes. */
  weight?: (item: Item) => number;
  /**
   * Splits a group into the statements it takes, as lists of the items' places (default: one
   * statement for all): e.g. items that cannot share one. Each part commits, and on failure is
   * retried item by item, on its own.
   */
  partition?: (items: readonly Item[]) => number[][];
}

interface Pending<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the items submitted in one turn of the event loop, and those that arrive while
 * `maxInFlight` statements are running, are written by one call of `commit` (one autocommit
 * statement), and each item's promise settles once that call returned, i.e. once the statement
 * committed. N concurrent writers then share one round trip and one commit instead of paying one
 * each. `commit` answers per item: its result, or an Error that fails that item alone (a refusal).
 * If `commit` throws, each item of the group is committed again alone, so whatever broke the
 * shared statement fails only the item that caused it.
 */
export class GroupCommit<Item, Result> {
  readonly #commit: (items: readonly Item[]) => Promise<ReadonlyArray<Result | Error>>;
  readonly #maxInFlight: number;
  readonly #maxWeight: number;
  readonly #weight: (item: Item) => number;
  readonly #partition: ((items: readonly Item[]) => number[][]) | undefined;
  #pending: Array<Pending<Item, Result>> = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(commit: (items: readonly Item[]) => Promise<ReadonlyArray<Result | Error>>, options: GroupCommitOptions<Item>) {
    this.#commit = commit;
    this.#maxInFlight = options.maxInFlight;
    this.#maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
    this.#weight = options.weight ?? (() => 1);
    this.#partition = options.partition;
  }

  /** Commits `item` with the others of its group; resolves with its result once committed. */
  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#pending.length === 0) return;
    this.#scheduled = true;
    // The end of this turn: the items that arrived with this one go with it.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#inFlight < this.#maxInFlight && this.#pending.length > 0) void this.#run(this.#take());
    });
  }

  #take(): Array<Pending<Item, Result>> {
    let weight = 0;
    let count = 0;
    while (count < this.#pending.length) {
      weight += this.#weight(this.#pending[count]!.item);
      if (count > 0 && weight > this.#maxWeight) break;
      count += 1;
    }
    return this.#pending.splice(0, count);
  }

  async #run(group: Array<Pending<Item, Result>>): Promise<void> {
    this.#inFlight += 1;
    try {
      const parts = this.#partition === undefined ? [group] : this.#partition(group.map((pending) => pending.item)).map((places) => places.map((place) => group[place]!));
      await Promise.all(parts.map((part) => this.#settle(part)));
    } finally {
      this.#inFlight -= 1;
      this.#schedule();
    }
  }

  async #settle(group: Array<Pending<Item, Result>>): Promise<void> {
    let results: ReadonlyArray<Result | Error>;
    try {
      results = await this.#commit(group.map((pending) => pending.item));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      await Promise.all(group.map((pending) => this.#settle([pending])));
      return;
    }
    group.forEach((pending, index) => {
      const result = results[index] as Result | Error;
      if (result instanceof Error) pending.reject(result);
      else pending.resolve(result);
    });
  }
}

/** The places of `items` grouped by `key`, in order of first appearance: a GroupCommit `partition`. */
export function placesBy<Item>(items: readonly Item[], key: (item: Item, place: number) => string): number[][] {
  const groups = new Map<string, number[]>();
  items.forEach((item, place) => {
    const name = key(item, place);
    groups.set(name, [...(groups.get(name) ?? []), place]);
  });
  return [...groups.values()];
}
