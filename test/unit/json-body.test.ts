// The strict body reader: the same values as JSON.parse for valid JSON, and a 400 naming the path
// for what JSON.parse would let through (duplicate keys, lone surrogates) or choke on (deep nesting).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../functions/core/model/errors.js';
import { decodeUtf8Strictly, MAX_BODY_DEPTH, parseJsonStrictly } from '../../functions/shared/json-body.js';

function refusal(text: string): { field: string; message: string } {
  try {
    parseJsonStrictly(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInput);
    return (error as InvalidInput).details[0];
  }
  throw new Error(`accepted ${text}`);
}

describe('parseJsonStrictly', () => {
  it('reads any JSON as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(parseJsonStrictly(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what JSON.parse refuses, as "not valid JSON"', () => {
    for (const text of [
      '{',
      '{"a":1,}',
      '[1,]',
      '01',
      '"\\x"',
      '"a\nb"',
      'tru',
      '{"a" 1}',
      '1 2',
      "{'a':1}",
      'NaN',
      '[1',
      '"\\u12"',
    ]) {
      expect(() => JSON.parse(text)).toThrow();
      expect(refusal(text)).toEqual({ field: 'body', message: 'is not valid JSON' });
    }
  });

  it('refuses duplicate keys, naming where', () => {
    expect(refusal('{"recommendations":[{"id":"a","id":"b"}]}')).toEqual({
      field: 'recommendations[0].id',
      message: 'appears twice in its object (duplicate key)',
    });
    expect(refusal('{"a":1,"a":1}').field).toBe('a');
  });

  it('keeps __proto__ as an own key (for the schema to refuse), never as the prototype', () => {
    const value = parseJsonStrictly('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses lone surrogates and nesting beyond the cap, naming the path; 10,000 levels do not overflow', () => {
    expect(refusal('{"title":"\\ud800"}')).toEqual({
      field: 'title',
      message: 'contains a lone surrogate (\\ud800–\\udfff): not valid Unicode',
    });
    expect(parseJsonStrictly('"\\ud83d\\ude00"')).toBe('😀');
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(parseJsonStrictly(deep(MAX_BODY_DEPTH))).toBeInstanceOf(Array);
    expect(refusal(deep(MAX_BODY_DEPTH + 1)).message).toBe(`nests deeper than ${MAX_BODY_DEPTH} levels`);
    expect(refusal(`{"p":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`).message).toContain('nests deeper');
  });
});

describe('decodeUtf8Strictly', () => {
  it('refuses invalid UTF-8 instead of replacing it', () => {
    expect(decodeUtf8Strictly(Buffer.from('{"t":"héllo"}'))).toBe('{"t":"héllo"}');
    for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe2, 0x28, 0xa1]]) {
      expect(() => decodeUtf8Strictly(Buffer.from([0x22, ...bytes, 0x22]))).toThrow('body is not valid UTF-8');
    }
  });
});
