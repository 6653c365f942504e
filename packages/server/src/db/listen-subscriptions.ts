import type { ListenEvents } from './database.ts';

export interface ListenSubscription {
  readonly onNotify: (payload: string) => void;
  readonly events: ListenEvents;
  /** Told of a loss and not yet of the recovery. */
  interrupted: boolean;
}

/** Who listens on which channel, and what each has been told about the connection. */
export interface ListenSubscriptions {
  add(channel: string, onNotify: (payload: string) => void, events: ListenEvents): ListenSubscription;
  /** Removes `subscription`; true when that left `channel` without subscribers. */
  remove(channel: string, subscription: ListenSubscription): boolean;
  channels(): string[];
  isEmpty(): boolean;
  notify(channel: string, payload: string): void;
  /** Tells every subscriber the connection is lost. */
  interrupt(error: unknown): void;
  /** Tells every subscriber told of a loss that LISTEN is back. */
  restore(): void;
}

export function createListenSubscriptions(): ListenSubscriptions {
  const byChannel = new Map<string, Set<ListenSubscription>>();
  const everyone = (): ListenSubscription[] => [...byChannel.values()].flatMap((set) => [...set]);
  return {
    add(channel, onNotify, events) {
      const subscription: ListenSubscription = { onNotify, events, interrupted: false };
      let set = byChannel.get(channel);
      if (set === undefined) {
        set = new Set();
        byChannel.set(channel, set);
      }
      set.add(subscription);
      return subscription;
    },
    remove(channel, subscription) {
      const set = byChannel.get(channel);
      if (set === undefined || !set.delete(subscription) || set.size > 0) return false;
      byChannel.delete(channel);
      return true;
    },
    channels: () => [...byChannel.keys()],
    isEmpty: () => byChannel.size === 0,
    notify(channel, payload) {
      for (const subscription of byChannel.get(channel) ?? []) subscription.onNotify(payload);
    },
    interrupt(error) {
      for (const subscription of everyone()) {
        subscription.interrupted = true;
        subscription.events.onInterrupted?.(error);
      }
    },
    restore() {
      for (const subscription of everyone()) {
        if (!subscription.interrupted) continue;
        subscription.interrupted = false;
        subscription.events.onRestored?.();
      }
    },
  };
}
