import { useCallback, useEffect, useState } from 'react';
import { ApiFailure } from './client';
import { useCabinet } from '../cabinet-context';

export interface Resource<T> {
  data: T | null;
  error: ApiFailure | null;
  loading: boolean;
  reload(): void;
}

/** One GET of the API, loaded when the screen shows and again after any action changed the person's data. */
export function useResource<T>(path: string | null): Resource<T> {
  const { api, dataVersion } = useCabinet();
  const [state, setState] = useState<{ data: T | null; error: ApiFailure | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api.get<T>(path).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current &&
        setState((s) => ({
          data: s.data,
          error: error instanceof ApiFailure ? error : new ApiFailure(0, 'failed', String(error)),
          loading: false,
        })),
    );
    return () => {
      current = false;
    };
  }, [api, path, dataVersion, attempt]);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, reload };
}
