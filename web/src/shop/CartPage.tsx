import { useState } from "react";

import { api, messageOf } from "../api";
import { useSession } from "../auth/session";
import { formatMoney } from "../money";
import { Link, navigate } from "../router";
import type { Order } from "../types";
import { ErrorNote, SignInFirst } from "../ui/bits";
import { cartTotal, checkoutKey, emptyCart, restartCheckout, setQuantity, useCart } from "./cart";

// The payment processor is simulated: these tokens stand for test cards.
const TEST_CARDS = [
  { token: "tok_visa", label: "Test card that pays" },
  { token: "tok_decline", label: "Test card that is declined" },
];

export function CartPage() {
  const cart = useCart();
  const session = useSession();
  const [card, setCard] = useState(TEST_CARDS[0]!.token);
  const [placing, setPlacing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (cart.lines.length === 0) {
    return (
      <section aria-labelledby="cart-heading">
        <h1 id="cart-heading">Cart</h1>
        <p>
          Your cart is empty. <Link to="/">Browse the catalog</Link>
        </p>
      </section>
    );
  }
  const currency = cart.lines[0]!.currency;

  const placeOrder = async () => {
    if (placing) return; // a second click while the first is in flight
    setPlacing(true);
    setError(null);
    try {
      const order = await api<Order>("/orders", {
        method: "POST",
        idempotencyKey: checkoutKey(),
        body: { lines: cart.lines.map(({ sku, quantity }) => ({ sku, quantity })), card_token: card },
      });
      emptyCart();
      navigate(`/my/orders/${order.id}`);
    } catch (failure) {
      // The key stays: trying again asks for the same order, not a second one.
      setError(messageOf(failure));
      setPlacing(false);
    }
  };

  return (
    <section aria-labelledby="cart-heading">
      <h1 id="cart-heading">Cart</h1>
      <table>
        <caption className="visually-hidden">Products in your cart</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Quantity</th>
            <th scope="col">Price</th>
          </tr>
        </thead>
        <tbody>
          {cart.lines.map((line) => (
            <tr key={line.sku}>
              <td>{line.name}</td>
              <td>
                <label className="visually-hidden" htmlFor={`quantity-${line.sku}`}>
                  Quantity of {line.name}
                </label>
                <input
                  id={`quantity-${line.sku}`}
                  type="number"
                  min={0}
                  value={line.quantity}
                  onChange={(event) => setQuantity(line.sku, Math.max(0, Number(event.target.value) || 0))}
                />
              </td>
              <td>{formatMoney(line.unitMinor * line.quantity, line.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total
            </th>
            <td>{formatMoney(cartTotal(cart.lines), currency)}</td>
          </tr>
        </tfoot>
      </table>
      {session ? (
        <div className="checkout">
          <label htmlFor="card">Pay with</label>
          <select id="card" value={card} onChange={(event) => {
              setCard(event.target.value);
              restartCheckout();
            }}>
            {TEST_CARDS.map((option) => (
              <option key={option.token} value={option.token}>
                {option.label}
              </option>
            ))}
          </select>
          <button type="button" onClick={placeOrder} disabled={placing}>
            {placing ? "Placing the order…" : "Place order"}
          </button>
        </div>
      ) : (
        <SignInFirst>to place the order.</SignInFirst>
      )}
      <ErrorNote message={error} />
    </section>
  );
}
