// GET /docs: Swagger UI (swagger-ui-dist, served from this function, no CDN) rendering /openapi.json.
// The UI's files are static assets read from disk rather than bundled: they are 1.9 MB, six times the
// bundle budget. On AWS the health function's bundling copies them next to its bundle
// (lib/function-defaults.ts); locally they come from node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { NotFound } from '../core/model/errors.js';
import { DOCS_ASSET_FOLDER, type DocsAsset } from './docs-assets.js';
import type { HttpResult } from './http.js';

/** Scripts and styles from this origin only; Swagger UI sets inline style attributes, and draws data: images. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-security-policy': DOCS_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

// Paths are relative to /docs (no trailing slash): they work under an API Gateway stage prefix too.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Arbiter API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

/** Our own script (the CSP forbids inline ones): the document next to this page. */
const INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

const CONTENT_TYPES: Record<DocsAsset, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'init.js': 'text/javascript; charset=utf-8',
};

/** Where swagger-ui-dist's files are: next to the deployed bundle (in the function's root), else in node_modules. */
function assetsDir(): string | undefined {
  const deployed = join(process.env.LAMBDA_TASK_ROOT ?? '/nonexistent', DOCS_ASSET_FOLDER);
  if (existsSync(deployed)) return deployed;
  try {
    return join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');
  } catch {
    return undefined; // a bundle deployed without its swagger-ui/ folder
  }
}

const cache = new Map<DocsAsset, string>();

function assetText(name: DocsAsset): string {
  if (name === 'init.js') return INIT;
  let text = cache.get(name);
  if (text === undefined) {
    const dir = assetsDir();
    const file = dir && join(dir, name);
    if (!file || !existsSync(file)) throw new NotFound(`docs asset ${name} is not deployed with this function`);
    text = readFileSync(file, 'utf8');
    cache.set(name, text);
  }
  return text;
}

export function docsPage(): HttpResult {
  return { status: 200, body: PAGE, headers: { 'content-type': 'text/html; charset=utf-8', ...PAGE_HEADERS } };
}

export function docsAsset(name: DocsAsset): HttpResult {
  return {
    status: 200,
    body: assetText(name),
    // Versioned with the deployment: a day in browsers' caches (respond() says no-store otherwise).
    headers: { 'content-type': CONTENT_TYPES[name], 'cache-control': 'public, max-age=86400', ...PAGE_HEADERS },
  };
}
