import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Library build of the drop-in script: one ES module that a town page loads with a script tag. */
export default defineConfig({
  root: here("./"),
  build: {
    outDir: here("../dist/public/widget/v1"),
    emptyOutDir: true,
    target: "es2021",
    lib: { entry: here("./src/rathaus.ts"), formats: ["es"], fileName: () => "rathaus.js" },
    minify: "esbuild",
    reportCompressedSize: true,
  },
});
