// The README's route table is the registry's (scripts/route-table.ts): a route added, removed or re-summarized
// fails here until `npm run route-table` is pasted between the README's markers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/shared/routes.js';
import { PROJECT_ROOT } from '../../lib/function-defaults.js';
import { readmeRouteTable, routeTable } from '../../scripts/route-table.js';

describe('the route table', () => {
  it('has one row per route of the registry, with its method, path and summary', () => {
    const rows = routeTable().split('\n').slice(2);
    expect(rows).toHaveLength(ROUTES.length);
    ROUTES.forEach((route, i) => {
      expect(rows[i]).toMatch(new RegExp(`^\\| ${route.method} +\\| \`${route.path.replace(/[{}]/g, '\\$&')}[?\`]`));
      expect(rows[i]).toContain(route.summary);
    });
  });

  it("is the README's, between its markers", () => {
    expect(readmeRouteTable(readFileSync(`${PROJECT_ROOT}README.md`, 'utf8'))).toBe(routeTable());
  });
});
