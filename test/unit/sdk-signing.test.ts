// The agent kit's signatures are the protocol's: a step Arbiter signs verifies, a callback the kit
// signs passes the check Arbiter applies to callbacks, and every refusal says what is wrong.
import { signCallback, verifyStepRequest } from 'arbiter/agent';
import { describe, expect, it } from 'vitest';
import {
  checkSignature,
  SIGNATURE_HEADER,
  signedHeaders,
  TIMESTAMP_HEADER,
} from '../../functions/core/protocol/agent-steps.js';

const secret = 'arb_sign_kit_secret_0123456789';
const now = new Date('2026-12-01T10:00:00Z');
const step = {
  step_id: 'plan-1-s1',
  plan_id: 'plan-1',
  recommendation_id: 'rec-1',
  customer_id: 'customer-1',
  action: 'resize_volume',
  mode: 'execute',
  parameters: { volume_id: 'vol-1', size_gb: 50 },
  callback_url: 'http://127.0.0.1:3000/coordination/steps/plan-1-s1/callback?dispatch=abc',
};
const body = JSON.stringify(step);
/** What Arbiter's dispatch sends (functions/adapters/agent-client.ts signs with the same function). */
const arbiterHeaders = (at = now, key = secret, text = body) => signedHeaders(key, text, at);

describe('verifyStepRequest', () => {
  it('accepts a step Arbiter signed and gives it parsed', () => {
    expect(verifyStepRequest(arbiterHeaders(), body, secret, now)).toEqual({ ok: true, step });
  });

  it('reads headers in any case, from a record, Node-style arrays or a fetch Headers', () => {
    const headers = arbiterHeaders();
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    const arrays = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    for (const given of [upper, arrays, new Headers(headers)])
      expect(verifyStepRequest(given, Buffer.from(body), secret, now).ok).toBe(true);
  });

  it('names the missing header', () => {
    const { [TIMESTAMP_HEADER]: _t, ...noTimestamp } = arbiterHeaders();
    const { [SIGNATURE_HEADER]: _s, ...noSignature } = arbiterHeaders();
    expect(verifyStepRequest(noTimestamp, body, secret, now)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'missing_header',
      error: `the ${TIMESTAMP_HEADER} header is missing`,
    });
    expect(verifyStepRequest(noSignature, body, secret, now)).toMatchObject({
      reason: 'missing_header',
      error: `the ${SIGNATURE_HEADER} header is missing`,
    });
  });

  it('refuses another secret, a changed body and an old request', () => {
    expect(verifyStepRequest(arbiterHeaders(now, 'arb_sign_someone_else'), body, secret, now)).toMatchObject({
      status: 401,
      reason: 'bad_signature',
    });
    const changed = body.replace('"size_gb":50', '"size_gb":5');
    expect(verifyStepRequest(arbiterHeaders(), changed, secret, now)).toMatchObject({ reason: 'bad_signature' });
    const sixMinutesAgo = new Date(now.getTime() - 360_000);
    expect(verifyStepRequest(arbiterHeaders(sixMinutesAgo), body, secret, now)).toMatchObject({
      status: 401,
      reason: 'stale',
    });
  });

  it('accepts any of several secrets (a rotation’s grace period)', () => {
    const old = 'arb_sign_previous_secret_000';
    expect(verifyStepRequest(arbiterHeaders(now, old), body, [secret, old], now).ok).toBe(true);
    expect(verifyStepRequest(arbiterHeaders(now, old), body, [secret], now).ok).toBe(false);
  });

  it('answers 400 naming the field when a signed body is not a step', () => {
    const broken = JSON.stringify({ ...step, mode: 'undo' });
    const verdict = verifyStepRequest(arbiterHeaders(now, secret, broken), broken, secret, now);
    expect(verdict).toMatchObject({ ok: false, status: 400, reason: 'malformed' });
    expect(verdict.ok || verdict.error).toMatch(/^mode: /);
    const notJson = 'step?';
    expect(verifyStepRequest(arbiterHeaders(now, secret, notJson), notJson, secret, now)).toMatchObject({
      status: 400,
      error: 'the body is not JSON',
    });
  });

  it('refuses an empty secret instead of verifying against it', () => {
    expect(() => verifyStepRequest(arbiterHeaders(), body, '', now)).toThrow(/signing secret is required/);
  });
});

describe('signCallback', () => {
  const report = { status: 'completed' as const, result: { size_gb: 50 }, customer_id: 'customer-1' };

  it('signs the exact body it gives, as Arbiter checks callbacks', () => {
    const signed = signCallback(report, secret, now);
    expect(JSON.parse(signed.body)).toEqual(report);
    expect(signed.headers['content-type']).toBe('application/json');
    const verdict = checkSignature(
      secret,
      signed.headers[TIMESTAMP_HEADER],
      signed.headers[SIGNATURE_HEADER],
      signed.body,
      now,
    );
    expect(verdict).toBe('valid');
    expect(
      checkSignature(
        'arb_sign_other',
        signed.headers[TIMESTAMP_HEADER],
        signed.headers[SIGNATURE_HEADER],
        signed.body,
        now,
      ),
    ).toBe('forged');
  });

  it('refuses to sign what is not a report, naming the field', () => {
    expect(() => signCallback({ ...report, status: 'done' } as never, secret, now)).toThrow(/status/);
    expect(() => signCallback({ status: 'completed' } as never, secret, now)).toThrow(/customer_id/);
  });
});
