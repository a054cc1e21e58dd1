import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The bundle is the same in every environment: what differs (how to sign
// in) is read at start from /config.json, which the local gateway or
// Terraform serves beside it.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // Hashed names under assets/: cached for a year; index.html never.
    assetsDir: "assets",
  },
});
