import { useState } from "react";

import { formatMoney, formatTime } from "../money";
import { Link } from "../router";
import type { OrderHistory } from "../types";
import { ErrorNote, Loading, Pager, StatusBadge } from "../ui/bits";
import { usePaged } from "../ui/useApi";

const STATES = ["PENDING", "CONFIRMED", "CANCELLED"] as const;

// Every customer's orders by state, from the order history read model.
export function ConsoleOrders() {
  const [state, setState] = useState<(typeof STATES)[number]>("CANCELLED");
  const { page, cursors, setCursors } = usePaged<OrderHistory>("/history/orders", { state, limit: "25" });

  return (
    <section aria-labelledby="console-orders-heading">
      <h1 id="console-orders-heading">Orders by state</h1>
      <div role="group" aria-label="State" className="tabs">
        {STATES.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={option === state}
            onClick={() => setState(option)}
          >
            {option}
          </button>
        ))}
      </div>
      <ErrorNote message={page.error} />
      {page.loading && !page.data ? <Loading what="orders" /> : null}
      {page.data?.items.length === 0 ? <p>No {state.toLowerCase()} orders.</p> : null}
      {page.data && page.data.items.length > 0 ? (
        <table>
          <caption className="visually-hidden">{state} orders</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Placed</th>
              <th scope="col">Total</th>
              <th scope="col">State</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((order) => (
              <tr key={order.order_id}>
                <td>
                  <Link to={`/console/orders/${order.order_id}`}>{order.order_id.slice(0, 8)}</Link>
                </td>
                <td className="mono">{order.customer_id?.slice(0, 8) ?? "—"}</td>
                <td>{formatTime(order.placed_at)}</td>
                <td>
                  {order.total_minor !== null && order.currency
                    ? formatMoney(order.total_minor, order.currency)
                    : "—"}
                </td>
                <td>
                  <StatusBadge status={order.state} />
                </td>
                <td>{order.cancel_reason ?? order.payment?.decline_reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page.data ? <Pager cursors={cursors} next={page.data.next_cursor} onChange={setCursors} /> : null}
    </section>
  );
}
