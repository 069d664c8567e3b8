// The single table's key layout is written once, in `keys` (functions/adapters/dynamo.ts): no adapter
// spells a key or a key prefix itself, and no adapter reads the machine's time but the system clock.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamo.js';

const ADAPTERS = 'functions/adapters/';
const KEY_HOME = 'dynamo.ts';
const CLOCK_HOME = 'system-clock.ts';
const CONSOLE = ['local/console/store.ts'];

/** Code without its comments (a `//` after a colon, as in a URL, stays). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

const code = (path: string) => withoutComments(readFileSync(path, 'utf8'));

/** Key attributes set to a literal (`sk: 'KEY'`), and literals shaped like a key prefix (`'R#'`, `WAIT#${id}`). */
function keyLiterals(text: string): string[] {
  const attribute = [...text.matchAll(/\b(?:pk|sk|gsi1pk|gsi1sk)\s*:\s*['"`][^'"`]*['"`]?/g)].map((m) => m[0]);
  const prefix = [...text.matchAll(/['"`][A-Z][A-Z0-9_]*#[^'"`]*/g)].map((m) => m[0]);
  return [...attribute, ...prefix];
}

const files = () => [
  ...readdirSync(ADAPTERS)
    .filter((name) => name.endsWith('.ts') && name !== KEY_HOME)
    .map((name) => ADAPTERS + name),
  ...CONSOLE,
];

describe('the table keys', () => {
  it('finds the literals it looks for', () => {
    expect(keyLiterals("Key: { pk: 'HEALTH', sk: `KEY` }")).toHaveLength(2);
    expect(keyLiterals("':r': 'R#', prefix: `WAIT#${id}#`, `X#${c}#${page}`")).toHaveLength(3);
    expect(keyLiterals("sk: keys.apiKeySort, ':p': keys.customer(id), 'C sharp', `${a}#${b}`")).toEqual([]);
    const commented = withoutComments("const a = 'https://x'; // sk: 'KEY'\n/* 'R#' */");
    expect(commented).toContain('https://x');
    expect(keyLiterals(commented)).toEqual([]);
  });

  it('are spelled only by `keys`: no adapter (nor the console) writes a key or a key prefix itself', () => {
    const found = files().flatMap((path) => keyLiterals(code(path)).map((literal) => `${path}: ${literal}`));
    expect(found).toEqual([]);
  });

  it('keep a sort-key prefix in front of each id, so one kind of item never reads as another', () => {
    expect(keys.recommendation('x')).toBe(`${keys.recommendationPrefix}x`);
    expect(keys.approval('x')).toBe(`${keys.approvalPrefix}x`);
    expect(keys.approver('x')).toBe(`${keys.approverPrefix}x`);
    expect(keys.planStep('p', 7)).toBe(`${keys.planStepsOf('p')}007`);
    expect(keys.dependencyWaiter('a', 'b')).toBe(`${keys.dependencyWaitersOf('a')}b`);
    expect(keys.lockWaiter('r', 'b')).toBe(`${keys.lockWaitersOf('r')}b`);
    expect(keys.approverEmail('x@e.com').startsWith(keys.approverPrefix)).toBe(false);
  });
});

describe('time in adapters', () => {
  it('is read from the Clock they are given; only the system clock calls new Date()', () => {
    const readers = files()
      .filter((path) => !path.endsWith(CLOCK_HOME))
      .filter((path) => /new Date\(\)/.test(code(path)));
    expect(readers).toEqual([]);
  });
});
