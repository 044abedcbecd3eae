import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The app loads the built files from ui/dist through Tauri's own protocol: no dev server,
// no remote URLs. Relative asset paths keep it working under any origin.
export default defineConfig({
  plugins: [react()],
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    target: "safari15",
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
