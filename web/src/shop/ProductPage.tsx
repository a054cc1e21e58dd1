import { useState, type FormEvent } from "react";

import { formatMoney } from "../money";
import { Link } from "../router";
import type { Product } from "../types";
import { ErrorNote, Loading } from "../ui/bits";
import { useApi } from "../ui/useApi";
import { addToCart } from "./cart";

export function ProductPage({ sku }: { sku: string }) {
  const product = useApi<Product>(`/inventory/products/${encodeURIComponent(sku)}`);
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState(false);

  if (!product.data) {
    return product.error ? <ErrorNote message={product.error} /> : <Loading what="the product" />;
  }
  const item = product.data;
  const add = (event: FormEvent) => {
    event.preventDefault();
    addToCart(
      { sku: item.sku, name: item.name, unitMinor: item.price.amount_minor, currency: item.price.currency },
      quantity,
    );
    setAdded(true);
  };
  return (
    <article aria-labelledby="product-heading">
      <h1 id="product-heading">{item.name}</h1>
      <p className="muted">SKU {item.sku}</p>
      <p>{item.description}</p>
      <p className="price">{formatMoney(item.price.amount_minor, item.price.currency)}</p>
      <p className={item.available > 0 ? "in-stock" : "out-of-stock"}>
        {item.available > 0 ? `${item.available} in stock` : "Out of stock"}
      </p>
      <form className="inline" onSubmit={add}>
        <label htmlFor="quantity">Quantity</label>
        <input
          id="quantity"
          type="number"
          min={1}
          max={Math.max(1, item.available)}
          value={quantity}
          onChange={(event) => setQuantity(Math.max(1, Number(event.target.value) || 1))}
        />
        <button type="submit" disabled={item.available === 0}>
          Add to cart
        </button>
      </form>
      {added ? (
        <p role="status">
          Added. <Link to="/cart">Go to the cart</Link>
        </p>
      ) : null}
    </article>
  );
}
