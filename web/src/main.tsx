import { createRoot } from "react-dom/client";

import { App } from "./App";
import { loadConfig } from "./config";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

loadConfig()
  .then((config) => root.render(<App config={config} />))
  .catch((error: unknown) =>
    root.render(
      <main>
        <h1>Bazaar cannot start</h1>
        <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
      </main>,
    ),
  );
