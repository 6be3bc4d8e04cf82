import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorText } from '../actions/errorText.ts';
import { adminCall } from './adminCall.ts';

/** A console read: its result once loaded, the error text if it failed, and a way to read it again. */
export interface AdminQuery<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** Runs a read-only admin command when the section opens (and again on `reload` or when `key` changes). */
export function useAdminQuery<T>(command: string, args: Record<string, unknown> = {}, key = ''): AdminQuery<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    adminCall<T>(command, args).then(
      (result) => {
        if (!live) return;
        setData(result);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(errorText(err));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // The arguments are part of `key`: a new object each render must not reload.
  }, [command, key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload };
}
