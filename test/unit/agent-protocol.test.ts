// Signing steps and callbacks: only the holder of the secret can produce a valid signature, any
// change to what was signed breaks it, and a valid one expires.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSignature,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  signedHeaders,
  TIMESTAMP_HEADER,
} from '../../functions/core/protocol/agent-steps.js';

const now = new Date('2026-11-02T10:00:00Z');
const nowSeconds = now.getTime() / 1000;
const secret = 'arb_sign_0123456789abcdef';
const body = JSON.stringify({ step_id: 'plan-1-s1', action: 'take_snapshot' });

const signedAt = (at: Date, key = secret, text = body) => {
  const headers = signedHeaders(key, text, at);
  return { timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER] };
};

describe('signedHeaders and checkSignature', () => {
  it('sign the timestamp and the body with the secret, as v1= hex HMAC-SHA256', () => {
    const headers = signedHeaders(secret, body, now);
    expect(headers['content-type']).toBe('application/json');
    expect(headers[TIMESTAMP_HEADER]).toBe(String(nowSeconds));
    expect(headers[SIGNATURE_HEADER]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(checkSignature(secret, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], body, now)).toBe('valid');
  });

  it('refuse a signature made with another secret', () => {
    const { timestamp, signature } = signedAt(now, 'arb_sign_another_secret_');
    expect(checkSignature(secret, timestamp, signature, body, now)).toBe('forged');
  });

  it('refuse a changed timestamp, even one within the tolerance', () => {
    const { signature } = signedAt(now);
    expect(checkSignature(secret, String(nowSeconds - 1), signature, body, now)).toBe('forged');
  });

  it('refuse any change to the body', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), (text, at) => {
        const { timestamp, signature } = signedAt(now, secret, text);
        const position = at % text.length;
        const changed = `${text.slice(0, position)}${text[position] === 'x' ? 'y' : 'x'}${text.slice(position + 1)}`;
        expect(checkSignature(secret, timestamp, signature, changed, now)).toBe('forged');
        expect(checkSignature(secret, timestamp, signature, `${text} `, now)).toBe('forged');
      }),
    );
  });

  it('refuse a tampered signature, another scheme, or missing headers', () => {
    const { timestamp, signature } = signedAt(now);
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    expect(checkSignature(secret, timestamp, flipped, body, now)).toBe('forged');
    expect(checkSignature(secret, timestamp, signature.replace('v1=', 'v2='), body, now)).toBe('forged');
    expect(checkSignature(secret, timestamp, signature.slice(3), body, now)).toBe('forged');
    expect(checkSignature(secret, undefined, signature, body, now)).toBe('forged');
    expect(checkSignature(secret, timestamp, undefined, body, now)).toBe('forged');
    expect(checkSignature(secret, 'soon', signature, body, now)).toBe('forged');
  });

  it('call a genuine signature stale once it is older or newer than the tolerance', () => {
    const shifted = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    const old = signedAt(shifted(-SIGNATURE_TOLERANCE_SECONDS - 1));
    const future = signedAt(shifted(SIGNATURE_TOLERANCE_SECONDS + 1));
    const edge = signedAt(shifted(-SIGNATURE_TOLERANCE_SECONDS));
    expect(checkSignature(secret, old.timestamp, old.signature, body, now)).toBe('stale');
    expect(checkSignature(secret, future.timestamp, future.signature, body, now)).toBe('stale');
    expect(checkSignature(secret, edge.timestamp, edge.signature, body, now)).toBe('valid');
  });

  it('check a forgery before staleness: an old forged request says forged, not stale', () => {
    const old = signedAt(new Date(now.getTime() - 3_600_000), 'arb_sign_another_secret_');
    expect(checkSignature(secret, old.timestamp, old.signature, body, now)).toBe('forged');
  });
});
