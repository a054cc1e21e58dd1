import type { ReactNode } from "react";

import { CallbackPage } from "./auth/CallbackPage";
import { hostedSignOutUrl } from "./auth/hostedUi";
import { endSession, isAdmin, useSession } from "./auth/session";
import { SignInPage } from "./auth/SignInPage";
import type { AppConfig } from "./config";
import { ConsoleCatalog } from "./console/ConsoleCatalog";
import { ConsoleOrders } from "./console/ConsoleOrders";
import { HealthPage } from "./console/HealthPage";
import { TimelinePage } from "./console/TimelinePage";
import { Link, navigate, useLocation } from "./router";
import { useCart } from "./shop/cart";
import { CartPage } from "./shop/CartPage";
import { Catalog } from "./shop/Catalog";
import { OrderPage } from "./shop/OrderPage";
import { OrdersPage } from "./shop/OrdersPage";
import { ProductPage } from "./shop/ProductPage";
import { SignInFirst } from "./ui/bits";

export function App({ config }: { config: AppConfig }) {
  const { path, search } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the content
      </a>
      <Header config={config} />
      <main id="main" tabIndex={-1}>
        {route(path, search, config)}
      </main>
    </>
  );
}

// The app's paths never start with an API's prefix (/orders, /inventory,
// ...): the gateway and CloudFront send those to the services, so a deep
// link there would reach an API, not this app.
function route(path: string, search: string, config: AppConfig): ReactNode {
  const match = (pattern: RegExp) => pattern.exec(path)?.[1];
  if (path === "/") return <Catalog />;
  const sku = match(/^\/products\/([^/]+)$/);
  if (sku) return <ProductPage sku={decodeURIComponent(sku)} />;
  if (path === "/cart") return <CartPage />;
  if (path === "/my/orders") return <OrdersPage />;
  const orderId = match(/^\/my\/orders\/([^/]+)$/);
  if (orderId) return <OrderPage orderId={orderId} />;
  if (path === "/signin") return <SignInPage auth={config.auth} search={search} />;
  if (path === "/auth/callback" && config.auth.kind === "cognito-hosted-ui") {
    return <CallbackPage auth={config.auth} search={search} />;
  }
  if (path.startsWith("/console")) return <Console path={path} />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        No page here. <Link to="/">Back to the catalog</Link>
      </p>
    </section>
  );
}

function Console({ path }: { path: string }) {
  const session = useSession();
  if (!session) return <SignInFirst>as an admin to use the console.</SignInFirst>;
  if (!isAdmin(session)) return <p role="alert">The console is for admins; you are signed in as a customer.</p>;
  const orderId = /^\/console\/orders\/([^/]+)$/.exec(path)?.[1];
  if (orderId) return <TimelinePage orderId={orderId} />;
  if (path === "/console/catalog") return <ConsoleCatalog />;
  if (path === "/console/health") return <HealthPage />;
  return <ConsoleOrders />;
}

function Header({ config }: { config: AppConfig }) {
  const session = useSession();
  const cart = useCart();
  const count = cart.lines.reduce((sum, line) => sum + line.quantity, 0);
  const signOut = () => {
    endSession();
    if (config.auth.kind === "cognito-hosted-ui") {
      window.location.assign(hostedSignOutUrl(config.auth)); // ends the hosted UI's session too
    } else {
      navigate("/");
    }
  };
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Bazaar
      </Link>
      <nav aria-label="Main">
        <Link to="/">Catalog</Link>
        <Link to="/cart">Cart ({count})</Link>
        {session ? <Link to="/my/orders">Your orders</Link> : null}
        {isAdmin(session) ? (
          <>
            <Link to="/console">Console: orders</Link>
            <Link to="/console/catalog">Stock</Link>
            <Link to="/console/health">Services</Link>
          </>
        ) : null}
      </nav>
      <div className="who">
        {session ? (
          <>
            <span>Signed in as {session.username}</span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </>
        ) : (
          <Link to="/signin">Sign in</Link>
        )}
      </div>
    </header>
  );
}
