// What every HTML page Arbiter serves shares (the review page; locally the outbox and the console):
// escaping, since their text comes from agents and approvers, and the Content-Security-Policy
// source that allows one inline style block by its hash and nothing else.
import { createHash } from 'node:crypto';

/** Text (or any value, as text) safe in an element or a quoted attribute, the backtick included. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The `style-src` source that allows exactly this style block. */
export function styleSource(style: string): string {
  return `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
}
