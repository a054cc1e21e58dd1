import { useCallback, useEffect, useState } from "react";

import { api, messageOf } from "../api";
import type { Page } from "../types";

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

export type Paged<T> = { page: Loaded<Page<T>>; cursors: string[]; setCursors: (cursors: string[]) => void };

/**
 * A cursor-paged list: ``base`` with ``params`` and the cursor of the page
 * shown; back to the first page when the query changes. ``cursors`` are the
 * pages before this one, for the Pager.
 */
export function usePaged<T>(base: string | null, params: Record<string, string>): Paged<T> {
  const [cursors, setCursors] = useState<string[]>([]);
  const query = `${base}?${new URLSearchParams(params)}`;
  const [shownQuery, setShownQuery] = useState(query);
  if (shownQuery !== query) {
    setShownQuery(query);
    setCursors([]);
  }
  const cursor = cursors[cursors.length - 1];
  const withCursor = new URLSearchParams({ ...params, ...(cursor ? { cursor } : {}) });
  const page = useApi<Page<T>>(base === null ? null : `${base}?${withCursor}`);
  return { page, cursors, setCursors };
}
