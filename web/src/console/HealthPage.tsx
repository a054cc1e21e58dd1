import { useEffect, useState } from "react";

import { api, ApiError } from "../api";

// Each service asked through the load balancer, as a customer's request
// goes (gateway or ALB, then a healthy task), timed: a 503 is the balancer
// with no healthy task behind the route. Its answer says how deep its own
// queue and dead-letter queue are.
const SERVICES = ["inventory", "orders", "payments", "shipping", "audit", "history"];

type Depth = { name: string; waiting: number; in_flight: number; delayed: number };
type Status = { service: string; messaging: { queue: Depth; dead_letters: Depth } | null };
type Result = { service: string; answer: string; ms: number; status: Status | null };

export function HealthPage() {
  const [results, setResults] = useState<Result[] | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    Promise.all(SERVICES.map(ask)).then((answers) => current && setResults(answers));
    return () => {
      current = false;
    };
  }, [round]);
  return (
    <section aria-labelledby="health-heading">
      <h1 id="health-heading">Services</h1>
      <p className="muted">
        Each service asked through the load balancer, as a customer's request goes, with its queue.
      </p>
      <button type="button" onClick={() => setRound((value) => value + 1)}>
        Check again
      </button>
      {results ? (
        <table>
          <caption className="visually-hidden">Services, their answers and their queues</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Answer</th>
              <th scope="col">Time</th>
              <th scope="col">Queue waiting</th>
              <th scope="col">In flight</th>
              <th scope="col">Dead letters</th>
            </tr>
          </thead>
          <tbody>
            {results.map(({ service, answer, ms, status }) => {
              const queues = status?.messaging;
              return (
                <tr key={service} data-testid={`health-${service}`}>
                  <td>{service}</td>
                  <td>
                    <span className={`badge ${status ? "badge-confirmed" : "badge-cancelled"}`}>
                      {status ? "serving" : "failing"}
                    </span>{" "}
                    {answer}
                  </td>
                  <td>{ms} ms</td>
                  <td>{queues ? queues.queue.waiting : "—"}</td>
                  <td>{queues ? queues.queue.in_flight : "—"}</td>
                  <td className={queues && queues.dead_letters.waiting > 0 ? "error" : undefined}>
                    {queues ? queues.dead_letters.waiting : "—"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p role="status">Checking…</p>
      )}
    </section>
  );
}

async function ask(service: string): Promise<Result> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const status = await api<Status>(`/${service}/ops/messaging`);
    return { service, answer: "200", ms: ms(), status };
  } catch (error) {
    const answer = error instanceof ApiError ? `${error.status} ${error.message}` : String(error);
    return { service, answer, ms: ms(), status: null };
  }
}
