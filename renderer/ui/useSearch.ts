import { useEffect, useState } from 'preact/hooks';

/**
 * Runs `search(query)` a moment after the query stops changing; only the newest answer is kept.
 * `results` is null until the first answer (or after a failure).
 */
export function useSearch<T>(
  query: string,
  search: (query: string) => Promise<T[] | undefined>,
  delayMs = 200,
): { results: T[] | null; loading: boolean } {
  const [state, setState] = useState<{ results: T[] | null; loading: boolean }>({ results: null, loading: true });
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      void search(query).then((results) => {
        if (current) setState({ results: results ?? null, loading: false });
      });
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);
  return state;
}
