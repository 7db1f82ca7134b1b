import { useCallback, useEffect, useState } from 'react';
import { type Api, ApiFailure } from './client';
import { useCabinet } from '../cabinet-context';

/** Requests started before their screen mounts (the first screen's data, asked for with the session). */
const primed = new Map<string, Promise<unknown>>();

/** Starts a GET now, for the screen that will show it; a failure waits for that screen to report it. */
export function prime(api: Api, path: string): void {
  const request = api.get(path);
  request.catch(() => undefined);
  primed.set(path, request);
}

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
    // A primed request serves the first showing only; later loads (after an action) ask again.
    const request = (primed.get(path) as Promise<T> | undefined) ?? api.get<T>(path);
    primed.delete(path);
    request.then(
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
