// The cart, in this tab's sessionStorage, with the checkout's idempotency
// key: made once when a checkout starts and sent with every try of it, so a
// double click or a retry after a lost answer places one order. A changed
// cart is a new checkout, with a new key.

import { useSyncExternalStore } from "react";

export type CartLine = { sku: string; name: string; unitMinor: number; currency: string; quantity: number };

type Cart = { lines: CartLine[]; checkoutKey: string | null };

const KEY = "bazaar.cart";
const listeners = new Set<() => void>();
let cart: Cart = load();

export function useCart(): Cart {
  return useSyncExternalStore(
    (notify) => {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
    () => cart,
  );
}

export function addToCart(line: Omit<CartLine, "quantity">, quantity: number): void {
  const existing = cart.lines.find((candidate) => candidate.sku === line.sku);
  const lines = existing
    ? cart.lines.map((candidate) =>
        candidate.sku === line.sku ? { ...candidate, quantity: candidate.quantity + quantity } : candidate,
      )
    : [...cart.lines, { ...line, quantity }];
  save({ lines, checkoutKey: null });
}

export function setQuantity(sku: string, quantity: number): void {
  const lines = cart.lines
    .map((line) => (line.sku === sku ? { ...line, quantity } : line))
    .filter((line) => line.quantity > 0);
  save({ lines, checkoutKey: null });
}

/** The key of the checkout in progress, made on its first try. */
export function checkoutKey(): string {
  const key = cart.checkoutKey ?? crypto.randomUUID();
  if (key !== cart.checkoutKey) {
    save({ ...cart, checkoutKey: key });
  }
  return key;
}

/** The next try is a new checkout (what it sends changed): a new key. */
export function restartCheckout(): void {
  save({ ...cart, checkoutKey: null });
}

export function emptyCart(): void {
  save({ lines: [], checkoutKey: null });
}

export function cartTotal(lines: CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.unitMinor * line.quantity, 0);
}

function save(next: Cart): void {
  cart = next;
  sessionStorage.setItem(KEY, JSON.stringify(next));
  listeners.forEach((notify) => notify());
}

function load(): Cart {
  try {
    const stored = sessionStorage.getItem(KEY);
    return stored ? (JSON.parse(stored) as Cart) : { lines: [], checkoutKey: null };
  } catch {
    return { lines: [], checkoutKey: null };
  }
}
