// npm run route-table: the README's route table, generated from the route registry (functions/shared/routes.ts)
// so the two cannot drift. test/unit/route-table.test.ts checks that the README holds exactly this table between
// its `<!-- routes:start -->` and `<!-- routes:end -->` markers.
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { type Access, ROUTES, type RouteDef } from '../functions/shared/routes.js';

export const ROUTES_START = '<!-- routes:start -->';
export const ROUTES_END = '<!-- routes:end -->';

/** Who may call, in a table cell's words (the OpenAPI document's operations say it at length). */
const CALLER: Record<Access, string> = {
  admin: 'admin key',
  agent: "an agent's key; the admin key naming the customer",
  approver: "the approver's own key",
  reader: 'any key of the customer; the admin key naming `customer_id`',
  'agent-signature': "no key: signed with the agent's secret",
  'signed-link': "no key: the emailed link's signature",
  public: 'anyone',
};

/** The path with its query parameters, as a reader would write the request: `/things?status=&limit=`. */
function pathWithQuery(route: RouteDef): string {
  const query = route.query instanceof z.ZodObject ? Object.keys(route.query.shape) : [];
  return `\`${route.path}${query.length ? `?${query.map((name) => `${name}=`).join('&')}` : ''}\``;
}

/** A markdown cell: a literal `|` would end it. */
const cell = (text: string) => text.replaceAll('|', '\\|');

/** The table, columns padded to one width as the README's other tables are. */
export function routeTable(routes: readonly RouteDef[] = ROUTES): string {
  const rows = [
    ['method', 'path', 'who may call', 'what'],
    ...routes.map((route) => [route.method, pathWithQuery(route), CALLER[route.access], route.summary].map(cell)),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => `| ${row.map((text, column) => text.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(rows[0]),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** What the README holds between the markers, or undefined without them. */
export function readmeRouteTable(readme: string): string | undefined {
  const start = readme.indexOf(ROUTES_START);
  const end = readme.indexOf(ROUTES_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + ROUTES_START.length, end).trim();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  console.log(`${ROUTES_START}\n${routeTable()}\n${ROUTES_END}`);
