import { useEffect, useState } from "react";

import { api, ApiError } from "../api";

// Each service answering through the load balancer: the same route a
// customer's request takes (gateway or ALB, then a healthy task), timed.
// A 503 here is the balancer with no healthy task behind the route.
const PROBES: { service: string; path: string }[] = [
  { service: "inventory", path: "/inventory/products?limit=1" },
  { service: "orders", path: "/orders?limit=1" },
  { service: "payments", path: "/payments?limit=1" },
  { service: "shipping", path: "/shipping/shipments?limit=1" },
  { service: "audit", path: "/audit/events?limit=1" },
  { service: "history", path: "/history/orders?limit=1" },
];

type Result = { service: string; ok: boolean; status: string; ms: number };

export function HealthPage() {
  const [results, setResults] = useState<Result[] | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    Promise.all(PROBES.map(probe)).then((answers) => current && setResults(answers));
    return () => {
      current = false;
    };
  }, [round]);
  return (
    <section aria-labelledby="health-heading">
      <h1 id="health-heading">Services</h1>
      <p className="muted">Each service asked through the load balancer, as a customer's request goes.</p>
      <button type="button" onClick={() => setRound((value) => value + 1)}>
        Check again
      </button>
      {results ? (
        <table>
          <caption className="visually-hidden">Services and their answers</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Answer</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {results.map((result) => (
              <tr key={result.service} data-testid={`health-${result.service}`}>
                <td>{result.service}</td>
                <td>
                  <span className={`badge ${result.ok ? "badge-confirmed" : "badge-cancelled"}`}>
                    {result.ok ? "serving" : "failing"}
                  </span>{" "}
                  {result.status}
                </td>
                <td>{result.ms} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p role="status">Checking…</p>
      )}
    </section>
  );
}

async function probe({ service, path }: { service: string; path: string }): Promise<Result> {
  const started = performance.now();
  try {
    await api(path);
    return { service, ok: true, status: "200", ms: Math.round(performance.now() - started) };
  } catch (error) {
    const status = error instanceof ApiError ? `${error.status} ${error.message}` : String(error);
    return { service, ok: false, status, ms: Math.round(performance.now() - started) };
  }
}
