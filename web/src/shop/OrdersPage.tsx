import { useSession } from "../auth/session";
import { formatMoney, formatTime } from "../money";
import { Link } from "../router";
import type { OrderHistory } from "../types";
import { ErrorNote, Loading, Pager, SignInFirst, StatusBadge } from "../ui/bits";
import { usePaged } from "../ui/useApi";

// The order history read model: each order with its payment and shipment.
export function OrdersPage() {
  const session = useSession();
  const { page, cursors, setCursors } = usePaged<OrderHistory>(session ? "/history/orders" : null, {
    limit: "20",
  });

  if (!session) return <SignInFirst>to see your orders.</SignInFirst>;
  return (
    <section aria-labelledby="orders-heading">
      <h1 id="orders-heading">Your orders</h1>
      <ErrorNote message={page.error} />
      {page.loading && !page.data ? <Loading what="your orders" /> : null}
      {page.data?.items.length === 0 ? <p>No orders yet.</p> : null}
      {page.data && page.data.items.length > 0 ? (
        <table>
          <caption className="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">State</th>
              <th scope="col">Total</th>
              <th scope="col">Payment</th>
              <th scope="col">Shipment</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((order) => (
              <tr key={order.order_id}>
                <td>
                  <Link to={`/my/orders/${order.order_id}`}>{order.order_id.slice(0, 8)}</Link>
                </td>
                <td>{formatTime(order.placed_at)}</td>
                <td>
                  <StatusBadge status={order.state} />
                  {order.cancel_reason ? <span className="reason"> {order.cancel_reason}</span> : null}
                </td>
                <td>
                  {order.total_minor !== null && order.currency
                    ? formatMoney(order.total_minor, order.currency)
                    : "—"}
                </td>
                <td>{order.payment?.state ?? "—"}</td>
                <td>{order.shipment ? formatTime(order.shipment.created_at) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page.data ? <Pager cursors={cursors} next={page.data.next_cursor} onChange={setCursors} /> : null}
    </section>
  );
}
