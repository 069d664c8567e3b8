// One HTTP exchange with Arbiter: the path joined under the base URL (a deployed API's stage path is
// kept), the key as a Bearer token, JSON or a form out, JSON or text back, and anything but the
// expected statuses turned into an ArbiterError.
import { errorFromAnswer } from './errors.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface Exchange {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as an HTML form (the review page's decision). */
  form?: Record<string, string | undefined>;
  /** Headers of this exchange (a signed callback's). */
  headers?: Record<string, string>;
  /** The exact body to send (a signed callback: the signature covers these bytes). */
  raw?: string;
  /** Statuses that are answers, not errors (default: any 2xx). */
  accept?: readonly number[];
}

export interface TransportOptions {
  /** Another fetch (a proxy, a test double); default the global one. */
  fetch?: typeof fetch;
  /** Give up on an exchange after this long (default 30 s). */
  timeoutMs?: number;
  /** Sent with every request (a User-Agent, a tracing header). */
  headers?: Record<string, string>;
}

/** `/coordination/plans/p 1` under `https://x/prod` → `https://x/prod/coordination/plans/p%201`. */
export function urlFor(baseUrl: string, path: string, query: Query = {}): URL {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = new URL(path.replace(/^\/+/, ''), base);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  return url;
}

/** A path whose interpolated ids are encoded: ids may hold `:` or `@`, never a `/` that changes the route. */
export function path(literals: TemplateStringsArray, ...ids: string[]): string {
  return literals.reduce((out, literal, i) => out + literal + (i < ids.length ? encodeURIComponent(ids[i]) : ''), '');
}

export class Transport {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
    private readonly options: TransportOptions = {},
  ) {
    if (!/^https?:\/\//.test(baseUrl)) throw new TypeError(`the base URL must be http(s): ${baseUrl}`);
  }

  async send<T>(exchange: Exchange): Promise<T> {
    const url = urlFor(this.baseUrl, exchange.path, exchange.query);
    const request = `${exchange.method} ${url.pathname}`;
    const response = await (this.options.fetch ?? fetch)(url, {
      method: exchange.method,
      headers: { accept: 'application/json', ...this.options.headers, ...this.headersOf(exchange) },
      body: this.bodyOf(exchange),
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    const body = response.headers.get('content-type')?.includes('json') && text ? parseJson(text) : text;
    const ok = exchange.accept ? exchange.accept.includes(response.status) : response.ok;
    if (!ok) throw errorFromAnswer(response.status, body, request, response.headers.get('retry-after'));
    return body as T;
  }

  private headersOf(exchange: Exchange): Record<string, string> {
    const headers: Record<string, string> = this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
    if (exchange.json !== undefined) headers['content-type'] = 'application/json';
    if (exchange.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    return { ...headers, ...exchange.headers };
  }

  private bodyOf(exchange: Exchange): string | undefined {
    if (exchange.raw !== undefined) return exchange.raw;
    if (exchange.json !== undefined) return JSON.stringify(exchange.json);
    if (exchange.form) {
      const fields = Object.entries(exchange.form).filter((e): e is [string, string] => e[1] !== undefined);
      return new URLSearchParams(fields).toString();
    }
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
