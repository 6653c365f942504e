import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Rows<T> {
  rows: T[] | undefined;
  error: string | undefined;
  reload: () => void;
}

/** Reads a list once when the view opens, and again on `reload()` (after an action, or a feed event that changes it): never on a timer. */
export function useRows<T>(read: () => Promise<T[]>): Rows<T> {
  const [rows, setRows] = useState<T[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    read().then(
      (next) => current && (setRows(next), setError(undefined)),
      (failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      current = false;
    };
  }, [generation]);
  return { rows, error, reload: useCallback(() => setGeneration((n) => n + 1), []) };
}
