// The files /docs/{asset} serves (names only: the registry imports this, every handler bundles it).
export const DOCS_ASSETS = ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js'] as const;
export type DocsAsset = (typeof DOCS_ASSETS)[number];

/** The folder next to the deployed health bundle that holds swagger-ui-dist's files (lib/function-defaults.ts). */
export const DOCS_ASSET_FOLDER = 'swagger-ui';

/** What is copied there from swagger-ui-dist: the two files served (init.js is ours), and the licence they ship under. */
export const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE'] as const;
