// A small JSON client for the API under test.
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export function client(baseUrl: string) {
  async function call<T = any>(
    method: string,
    path: string,
    options: { key?: string; body?: unknown; raw?: string; contentType?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }
  return {
    call,
    get: <T = any>(path: string, key?: string) => call<T>('GET', path, { key }),
    post: <T = any>(path: string, body: unknown, key?: string) => call<T>('POST', path, { key, body }),
    put: <T = any>(path: string, body: unknown, key?: string) => call<T>('PUT', path, { key, body }),
  };
}
