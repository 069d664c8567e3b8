// The files /docs/{asset} serves (names only: the registry imports this, every handler bundles it).
export const DOCS_ASSETS = ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js'] as const;
export type DocsAsset = (typeof DOCS_ASSETS)[number];
