import { useState, type FormEvent } from "react";

import { formatMoney } from "../money";
import { Link } from "../router";
import type { Product } from "../types";
import { ErrorNote, Loading, Pager } from "../ui/bits";
import { usePaged } from "../ui/useApi";

const PAGE_SIZE = 12;

export function Catalog() {
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState("");
  const { page, cursors, setCursors } = usePaged<Product>("/inventory/products", {
    limit: String(PAGE_SIZE),
    ...(search ? { q: search } : {}),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(query.trim());
  };

  return (
    <section aria-labelledby="catalog-heading">
      <h1 id="catalog-heading">Catalog</h1>
      <form role="search" className="search" onSubmit={submit}>
        <label htmlFor="catalog-search">Search products</label>
        <input
          id="catalog-search"
          type="search"
          value={query}
          maxLength={100}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      <ErrorNote message={page.error} />
      {page.loading && !page.data ? <Loading what="products" /> : null}
      {page.data && page.data.items.length === 0 ? <p>No product matches.</p> : null}
      <ul className="products">
        {page.data?.items.map((product) => (
          <li key={product.sku} className="card">
            <h2>
              <Link to={`/products/${encodeURIComponent(product.sku)}`}>{product.name}</Link>
            </h2>
            <p className="price">{formatMoney(product.price.amount_minor, product.price.currency)}</p>
            <p className={product.available > 0 ? "in-stock" : "out-of-stock"}>
              {product.available > 0 ? `${product.available} in stock` : "Out of stock"}
            </p>
          </li>
        ))}
      </ul>
      {page.data ? <Pager cursors={cursors} next={page.data.next_cursor} onChange={setCursors} /> : null}
    </section>
  );
}
