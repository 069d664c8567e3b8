// What the local stack may print about a request: never a review link's signature, a key, a token
// or a secret, whichever query parameter carries it.
const SECRET_PARAMETER = /sig|signature|key|token|secret|password|auth|credential/i;

/** The request target with the values of secret-looking query parameters replaced. */
export function redactUrl(target: string): string {
  const queryStart = target.indexOf('?');
  if (queryStart === -1) return target;
  const query = target
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const [name] = pair.split('=', 1);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // An undecodable name is judged as written.
      }
      return SECRET_PARAMETER.test(decoded) && pair.includes('=') ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${target.slice(0, queryStart)}?${query}`;
}

/** A handler's result, described for a log without its body (which may hold a newly issued key). */
export function describeResult(result: unknown): string {
  if (typeof result !== 'object' || result === null) return typeof result;
  return `{ ${Object.entries(result)
    .map(([name, value]) => `${name}: ${name === 'statusCode' ? JSON.stringify(value) : typeof value}`)
    .join(', ')} }`;
}

/** A log item's fields with the values of secret-looking names replaced, at any depth. */
export function redactFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFields);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [
      name,
      SECRET_PARAMETER.test(name) ? '[redacted]' : redactFields(field),
    ]),
  );
}
