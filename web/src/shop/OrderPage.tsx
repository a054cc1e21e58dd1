import { useRef, useState } from "react";

import { api, messageOf } from "../api";
import { formatMoney, formatTime } from "../money";
import type { Order, OrderHistory } from "../types";
import { ErrorNote, Loading, StatusBadge } from "../ui/bits";
import { usePolling } from "../ui/useApi";

const POLL_MS = 1000;
// After the saga ends the read model catches up within seconds (events).
const HISTORY_TRIES = 30;

const STEPS: Record<string, string> = {
  "reserving-stock": "Reserving stock",
  "capturing-payment": "Taking the payment",
};

export function OrderPage({ orderId }: { orderId: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [history, setHistory] = useState<OrderHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/orders/${encodeURIComponent(orderId)}`;

  // The order itself until the saga settles it, then its payment and shipment.
  usePolling(
    async () => {
      try {
        const latest = await api<Order>(path);
        setOrder(latest);
        setError(null);
        return latest.status !== "PENDING";
      } catch (failure) {
        setError(messageOf(failure));
        return false;
      }
    },
    POLL_MS,
    path,
  );
  const settled = order !== null && order.status !== "PENDING";
  const historyTries = useRef(0);
  usePolling(
    async () => {
      if (!settled) return true;
      historyTries.current += 1;
      const latest = await api<OrderHistory>(`/history/orders/${encodeURIComponent(orderId)}`).catch(() => null);
      if (latest) setHistory(latest);
      const complete = latest?.payment && (order?.status !== "CONFIRMED" || latest.shipment);
      return Boolean(complete) || historyTries.current >= HISTORY_TRIES;
    },
    POLL_MS,
    `${path}:${settled}`,
  );

  if (!order) {
    return error ? <ErrorNote message={error} /> : <Loading what="the order" />;
  }
  return (
    <article aria-labelledby="order-heading">
      <h1 id="order-heading">Order {order.id.slice(0, 8)}</h1>
      <p aria-live="polite">
        <StatusBadge status={order.status} />{" "}
        {order.status === "PENDING" ? (STEPS[order.step ?? ""] ?? "Placed") : null}
        {order.status === "CANCELLED" && order.cancel_reason ? (
          <span className="reason">Reason: {order.cancel_reason}</span>
        ) : null}
      </p>
      <dl className="facts">
        <dt>Placed</dt>
        <dd>{formatTime(order.created_at)}</dd>
        <dt>Total</dt>
        <dd>{formatMoney(order.total_minor, order.currency)}</dd>
        <dt>Payment</dt>
        <dd>{paymentText(history, order)}</dd>
        <dt>Shipment</dt>
        <dd>
          {history?.shipment
            ? `${history.shipment.shipment_id.slice(0, 8)}, created ${formatTime(history.shipment.created_at)}`
            : order.status === "CANCELLED"
              ? "None: the order was cancelled"
              : "Not yet"}
        </dd>
      </dl>
      <h2>Lines</h2>
      <ul>
        {order.lines.map((line) => (
          <li key={line.sku}>
            {line.quantity} × {line.sku} at {formatMoney(line.unit_price_minor, order.currency)}
          </li>
        ))}
      </ul>
      <ErrorNote message={error} />
    </article>
  );
}

function paymentText(history: OrderHistory | null, order: Order): string {
  const payment = history?.payment;
  if (!payment) return order.status === "PENDING" ? "Not yet" : "—";
  const amount = payment.amount_minor === null ? "" : ` ${formatMoney(payment.amount_minor, order.currency)}`;
  return payment.decline_reason ? `${payment.state}: ${payment.decline_reason}` : `${payment.state}${amount}`;
}
