import { useState, type FormEvent } from "react";

import { api, messageOf } from "../api";
import { formatMoney } from "../money";
import type { Product, Stock } from "../types";
import { ErrorNote, Loading, Pager } from "../ui/bits";
import { useApi, usePaged } from "../ui/useApi";

export function ConsoleCatalog() {
  const { page, cursors, setCursors } = usePaged<Product>("/inventory/products", { limit: "20" });
  return (
    <section aria-labelledby="console-catalog-heading">
      <h1 id="console-catalog-heading">Catalog and stock</h1>
      <ErrorNote message={page.error} />
      {page.loading && !page.data ? <Loading what="the catalog" /> : null}
      {page.data ? (
        <table>
          <caption className="visually-hidden">Products with their stock</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Price</th>
              <th scope="col">Available</th>
              <th scope="col">Reserved</th>
              <th scope="col">Sold</th>
              <th scope="col">Restock</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((product) => (
              <StockRow key={product.sku} product={product} />
            ))}
          </tbody>
        </table>
      ) : null}
      {page.data ? <Pager cursors={cursors} next={page.data.next_cursor} onChange={setCursors} /> : null}
    </section>
  );
}

function StockRow({ product }: { product: Product }) {
  const stock = useApi<Stock>(`/inventory/products/${encodeURIComponent(product.sku)}/stock`);
  const [quantity, setQuantity] = useState(10);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const restock = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // One key per restock the operator asks for: a retry cannot add twice.
      await api<Stock>(`/inventory/products/${encodeURIComponent(product.sku)}/restock`, {
        method: "POST",
        idempotencyKey: crypto.randomUUID(),
        body: { quantity },
      });
      stock.reload();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const id = `restock-${product.sku}`;
  return (
    <tr>
      <td>
        {product.name} <span className="muted mono">{product.sku}</span>
      </td>
      <td>{formatMoney(product.price.amount_minor, product.price.currency)}</td>
      <td data-testid={`available-${product.sku}`}>{stock.data?.available ?? "…"}</td>
      <td>{stock.data?.reserved ?? "…"}</td>
      <td>{stock.data?.sold ?? "…"}</td>
      <td>
        <form className="inline" onSubmit={restock}>
          <label htmlFor={id} className="visually-hidden">
            Units of {product.name} to add
          </label>
          <input
            id={id}
            type="number"
            min={1}
            max={1000000}
            value={quantity}
            onChange={(event) => setQuantity(Math.max(1, Number(event.target.value) || 1))}
          />
          <button type="submit" disabled={busy}>
            Add
          </button>
        </form>
        <ErrorNote message={error ?? stock.error} />
      </td>
    </tr>
  );
}
