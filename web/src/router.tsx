// A few routes need no router library: the path, pushState, and links
// that stay in the app.

import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => listeners.forEach((notify) => notify()));

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) {
    window.history.replaceState(null, "", to);
  } else {
    window.history.pushState(null, "", to);
  }
  listeners.forEach((notify) => notify());
  window.scrollTo(0, 0);
}

export function useLocation(): { path: string; search: string } {
  const href = useSyncExternalStore(
    (notify) => {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
    () => window.location.pathname + window.location.search,
  );
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, search: url.search };
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

export function Link({ to, onClick, ...rest }: LinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (!event.defaultPrevented && event.button === 0 && !modified) {
      event.preventDefault();
      navigate(to);
    }
  };
  return <a href={to} onClick={follow} {...rest} />;
}
