import type { ReactNode } from "react";

import { Link } from "../router";

export function ErrorNote({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="error">
      {message}
    </p>
  ) : null;
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}

export function SignInFirst({ children }: { children: ReactNode }) {
  return (
    <p>
      <Link to={`/signin?next=${encodeURIComponent(window.location.pathname)}`}>Sign in</Link> {children}
    </p>
  );
}

/** Cursor pages: Previous goes back through the cursors seen, Next follows next_cursor. */
export function Pager({
  cursors,
  next,
  onChange,
}: {
  cursors: string[];
  next: string | null;
  onChange: (cursors: string[]) => void;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={cursors.length === 0} onClick={() => onChange(cursors.slice(0, -1))}>
        Previous
      </button>
      <span>Page {cursors.length + 1}</span>
      <button type="button" disabled={!next} onClick={() => next && onChange([...cursors, next])}>
        Next
      </button>
    </nav>
  );
}
