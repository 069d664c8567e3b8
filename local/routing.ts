// Matches a request against API Gateway style resource paths (`/coordination/recommendations/{id}`).
// Kept apart from the server so the rules (specific beats generic, 404 vs 405) are easy to read and test.

export interface RoutePattern {
  method: string;
  /** Resource path; `{name}` segments become path parameters. */
  path: string;
}

export type RouteMatch<R extends RoutePattern> =
  | { kind: 'found'; route: R; pathParameters: Record<string, string> }
  /** The path exists but not for this method: API Gateway-like 405 with the methods it does have. */
  | { kind: 'wrong_method'; allow: string[] }
  | { kind: 'not_found' }
  /** A `%` escape that does not decode (e.g. `%E0%A4`) cannot name any resource. */
  | { kind: 'malformed' };

type Segment = { literal: string } | { param: string };

function segmentsOf(path: string): string[] {
  // A trailing slash names the same resource, as on API Gateway.
  return path.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
}

function compile(path: string): Segment[] {
  return segmentsOf(path).map((s) => {
    const param = /^\{(\w+)\}$/.exec(s);
    return param ? { param: param[1] } : { literal: s };
  });
}

function decodeAll(segments: string[]): string[] | undefined {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function createRouter<R extends RoutePattern>(
  routes: readonly R[],
): (method: string, path: string) => RouteMatch<R> {
  const resources = new Map<string, { segments: Segment[]; routes: R[] }>();
  for (const route of routes) {
    const resource = resources.get(route.path) ?? { segments: compile(route.path), routes: [] };
    resource.routes.push(route);
    resources.set(route.path, resource);
  }
  // API Gateway picks the most specific resource first (`/things/search` before `/things/{id}`),
  // then looks for the method on that resource only.
  const literalCount = (segments: Segment[]) => segments.filter((s) => 'literal' in s).length;
  const bySpecificity = [...resources.values()].sort((a, b) => literalCount(b.segments) - literalCount(a.segments));

  return (method, path) => {
    const requested = decodeAll(segmentsOf(path));
    if (!requested) return { kind: 'malformed' };
    for (const resource of bySpecificity) {
      const pathParameters = bind(resource.segments, requested);
      if (!pathParameters) continue;
      const route = resource.routes.find((r) => r.method === method.toUpperCase());
      if (route) return { kind: 'found', route, pathParameters };
      return { kind: 'wrong_method', allow: [...new Set(resource.routes.map((r) => r.method))] };
    }
    return { kind: 'not_found' };
  };
}

function bind(segments: Segment[], requested: string[]): Record<string, string> | undefined {
  if (segments.length !== requested.length) return undefined;
  const pathParameters: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    if ('param' in segment) {
      if (requested[i] === '') return undefined;
      pathParameters[segment.param] = requested[i];
    } else if (segment.literal !== requested[i]) return undefined;
  }
  return pathParameters;
}
