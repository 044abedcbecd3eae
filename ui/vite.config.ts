import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";

// The stylesheet goes into index.html: the page's first script (index.html) then runs at once
// instead of waiting for one more file, and the first layout needs no request. Tauri adds its
// nonce to the <style> element, so the CSP (style-src 'self') holds.
function stylesInline(): Plugin {
  return {
    name: "frontline-styles-inline",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        for (const [name, file] of Object.entries(bundle)) {
          if (file.type !== "asset" || !name.endsWith(".css")) continue;
          const link = html.match(new RegExp(`<link rel="stylesheet"[^>]*href="[^"]*${name.split("/").pop()}"[^>]*>`));
          if (!link) continue;
          html = html.replace(link[0], () => `<style>${String(file.source)}</style>`);
          delete bundle[name];
        }
        return html;
      },
    },
  };
}

// The app loads the built files from ui/dist through Tauri's own protocol: no dev server,
// no remote URLs. Relative asset paths keep it working under any origin.
export default defineConfig({
  plugins: [react(), stylesInline()],
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
