import { useCallback, useEffect, useState } from "react";

import { api, messageOf } from "../api";

export type Loaded<T> = { data: T | null; error: string | null; loading: boolean; reload: () => void };

/** GET ``path`` (null: nothing yet), again when it changes or on ``reload()``. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (path === null) {
      return;
    }
    const aborted = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    api<T>(path, { signal: aborted.signal })
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((error: unknown) => {
        if (!aborted.signal.aborted) {
          setState({ data: null, error: messageOf(error), loading: false });
        }
      });
    return () => aborted.abort();
  }, [path, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...state, reload };
}

/** Calls ``poll`` every ``everyMs`` until it returns true or the component goes. */
export function usePolling(poll: () => Promise<boolean>, everyMs: number, key: string): void {
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const tick = async () => {
      const done = await poll().catch(() => false);
      if (!stopped && !done) {
        timer = window.setTimeout(tick, everyMs);
      }
    };
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
    // The poll closes over state the key names; a new key, a new loop.
  }, [key, everyMs]);
}
