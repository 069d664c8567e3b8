// A strict JSON reader for request bodies. JSON.parse keeps the last of duplicate keys and lets
// lone surrogates through (DynamoDB cannot store them); this reader refuses both, and caps nesting,
// naming the path in a 400. Objects keep a `__proto__` key as an own property, as JSON.parse does,
// so the schemas can refuse it instead of losing it.
import { InvalidInput } from '../core/model/errors.js';
import { fieldName } from './validation.js';

/** Far above what any valid body needs (a recommendation's parameters sit at depth 4 + 10). */
export const MAX_BODY_DEPTH = 32;

class Syntax extends Error {}

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJsonStrictly(text: string): unknown {
  let at = 0;
  const path: (string | number)[] = [];
  const refuse = (message: string): never => {
    throw new InvalidInput(`invalid body: ${fieldName(path)} ${message}`, [{ field: fieldName(path), message }]);
  };
  const skip = () => {
    WS.lastIndex = at;
    WS.exec(text);
    at = WS.lastIndex;
  };
  const expect = (c: string) => {
    if (text[at] !== c) throw new Syntax();
    at++;
  };
  const string = (): string => {
    expect('"');
    let out = '';
    for (;;) {
      PLAIN.lastIndex = at;
      out += PLAIN.exec(text)![0];
      at = PLAIN.lastIndex;
      const c = text[at++];
      if (c === '"') break;
      if (c !== '\\') throw new Syntax(); // end of text or a raw control character
      const e = text[at++];
      if (e === 'u') {
        const hex = text.slice(at, at + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Syntax();
        out += String.fromCharCode(parseInt(hex, 16));
        at += 4;
      } else if (e !== undefined && ESCAPES[e] !== undefined) out += ESCAPES[e];
      else throw new Syntax();
    }
    if (LONE_SURROGATE.test(out)) refuse('contains a lone surrogate (\\ud800–\\udfff): not valid Unicode');
    return out;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_BODY_DEPTH) refuse(`nests deeper than ${MAX_BODY_DEPTH} levels`);
    skip();
    const c = text[at];
    if (c === '{') {
      at++;
      const obj: Record<string, unknown> = {};
      const seen = new Set<string>();
      skip();
      if (text[at] === '}') {
        at++;
        return obj;
      }
      for (;;) {
        skip();
        const key = string();
        path.push(key);
        if (seen.has(key)) refuse('appears twice in its object (duplicate key)');
        seen.add(key);
        skip();
        expect(':');
        Object.defineProperty(obj, key, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        path.pop();
        skip();
        if (text[at] === ',') at++;
        else {
          expect('}');
          return obj;
        }
      }
    }
    if (c === '[') {
      at++;
      const arr: unknown[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return arr;
      }
      for (;;) {
        path.push(arr.length);
        arr.push(value(depth + 1));
        path.pop();
        skip();
        if (text[at] === ',') at++;
        else {
          expect(']');
          return arr;
        }
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = at;
    const n = NUMBER.exec(text);
    if (!n) throw new Syntax();
    at = NUMBER.lastIndex;
    return Number(n[0]);
  };
  try {
    const result = value(1);
    skip();
    if (at !== text.length) throw new Syntax();
    return result;
  } catch (error) {
    if (error instanceof Syntax)
      throw new InvalidInput('body is not valid JSON', [{ field: 'body', message: 'is not valid JSON' }]);
    throw error;
  }
}

/** The body's bytes as text; invalid UTF-8 is refused, never replaced. */
export function decodeUtf8Strictly(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InvalidInput('body is not valid UTF-8', [{ field: 'body', message: 'is not valid UTF-8' }]);
  }
}
