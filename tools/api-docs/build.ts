/**
 * Part of `npm run build`: the interactive API reference at /api/docs/, served from this server
 * (Node: dist/public, Workers: static assets), never from a CDN. Swagger UI's bundle is copied
 * from the swagger-ui-dist package; the page and its start script are ours, so the page runs
 * under a CSP without inline scripts.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const out = join(root, "dist", "public", "api", "docs");
const swagger = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

mkdirSync(out, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"]) copyFileSync(join(swagger, file), join(out, file));
writeFileSync(
  join(out, "index.html"),
  `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Digitales Rathaus API</title>
  <link rel="icon" type="image/png" href="favicon-32x32.png">
  <link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="start.js"></script>
</body>
</html>
`,
);
writeFileSync(
  join(out, "start.js"),
  `// The document sits next to this page on the same server: /api/v1/openapi.json.
window.SwaggerUIBundle({ url: new URL("../v1/openapi.json", location.href).href, dom_id: "#reference", deepLinking: true, tryItOutEnabled: true });
`,
);
console.log(`API reference written to ${out.slice(root.length + 1)}/`);
