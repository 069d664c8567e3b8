// A callback answers one dispatch of a step: a report for an earlier dispatch (the execute answer
// replayed while the rollback waits) is refused, the current one is delivered once.
import { describe, expect, it } from 'vitest';
import { StateConflict, Unauthenticated } from '../../functions/core/model/errors.js';
import type { StoredPlan } from '../../functions/core/model/records.js';
import { recordingMetrics } from '../../functions/core/ports/metrics.js';
import {
  callbackUrl,
  SIGNATURE_HEADER,
  signedHeaders,
  TIMESTAMP_HEADER,
} from '../../functions/core/protocol/agent-steps.js';
import { acceptCallback } from '../../functions/core/use-cases/accept-callback.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';

const SECRET = 'agent-secret-0123456789';
const now = new Date('2026-11-21T10:00:00Z');

function setup(
  currentToken: string,
  rotated: { previous_signing_secret?: string; previous_signing_secret_until?: string } = {},
) {
  // A completed step: the callback answers its rollback (execute reports are recorded first, see test/workflow).
  const plan = {
    id: 'plan_1',
    steps: [{ id: 'plan_1-s1', index: 0, agent_id: 'agent-1', status: 'completed', task_token: currentToken }],
  } as unknown as StoredPlan;
  let claimed = false;
  const workflow = new RecordingWorkflow();
  const deps = {
    recommendations: {} as never,
    plans: {
      getPlan: async () => plan,
      claimStepSignal: async () => (claimed ? undefined : ((claimed = true), currentToken)),
    } as never,
    agents: {
      getAgent: async () => ({
        agent_id: 'agent-1',
        customer_id: 'c-1',
        signing_secret: SECRET,
        endpoint_url: 'https://agent.example',
        created_at: '',
        ...rotated,
      }),
    },
    resolveTarget: () => ({ endpoint: 'https://agent.example', secret: SECRET, simulated: false }),
    workflow,
    clock: { now: () => now },
  };
  return { deps, workflow };
}

function signedReport(token: string, secret = SECRET, status: 'completed' | 'failed' = 'completed') {
  const body = { customer_id: 'c-1', status, result: { ok: true } };
  const raw = JSON.stringify(body);
  const headers = signedHeaders(secret, raw, now);
  const dispatch = new URL(callbackUrl('https://api.example/prod/', 'plan_1-s1', token)).searchParams.get('dispatch')!;
  return {
    body,
    signed: { raw, timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER], dispatch },
  };
}

describe('step callbacks', () => {
  it('refuses a validly signed report for an earlier dispatch of the step', async () => {
    const { deps, workflow } = setup('rollback-token');
    const replay = signedReport('execute-token');
    await expect(acceptCallback('plan_1-s1', replay.body, replay.signed, deps)).rejects.toBeInstanceOf(StateConflict);
    expect(workflow.signals).toEqual([]);
  });

  it('delivers the current dispatch once, and refuses a second delivery', async () => {
    const { deps, workflow } = setup('rollback-token');
    const report = signedReport('rollback-token');
    await acceptCallback('plan_1-s1', report.body, report.signed, deps);
    expect(workflow.signals).toEqual([
      { token: 'rollback-token', kind: 'success', detail: { result: { ok: true }, rollback_data: null } },
    ]);
    await expect(acceptCallback('plan_1-s1', report.body, report.signed, deps)).rejects.toBeInstanceOf(StateConflict);
  });

  it('refuses a report signed with another secret before looking at the dispatch', async () => {
    const { deps } = setup('rollback-token');
    const forged = signedReport('rollback-token', 'not-the-secret-at-all');
    await expect(acceptCallback('plan_1-s1', forged.body, forged.signed, deps)).rejects.toBeInstanceOf(Unauthenticated);
  });

  it("accepts the agent's previous secret while its rotation's grace period lasts, and not a moment after", async () => {
    const OLD = 'old-agent-secret-9876543210';
    const during = setup('current', {
      previous_signing_secret: OLD,
      previous_signing_secret_until: new Date(now.getTime() + 60_000).toISOString(),
    });
    const report = signedReport('current', OLD);
    await acceptCallback('plan_1-s1', report.body, report.signed, during.deps);
    expect(during.workflow.signals).toEqual([expect.objectContaining({ token: 'current', kind: 'success' })]);

    const after = setup('current', { previous_signing_secret: OLD, previous_signing_secret_until: now.toISOString() });
    await expect(acceptCallback('plan_1-s1', report.body, report.signed, after.deps)).rejects.toBeInstanceOf(
      Unauthenticated,
    );
    expect(after.workflow.signals).toEqual([]);
  });

  it('puts the dispatch in a callback URL under the API base, with or without its trailing slash', () => {
    expect(callbackUrl('https://api.example/prod', 'plan_1-s1', 't')).toMatch(
      /^https:\/\/api\.example\/prod\/coordination\/steps\/plan_1-s1\/callback\?dispatch=[\w-]{22}$/,
    );
    expect(new URL(callbackUrl('https://a/', 's', 't1')).searchParams.get('dispatch')).not.toBe(
      new URL(callbackUrl('https://a/', 's', 't2')).searchParams.get('dispatch'),
    );
  });
});

describe('step reports', () => {
  it("counts a delivered failure report as the agent's error, once; a success or a refused report counts nothing", async () => {
    const metrics = recordingMetrics();
    const failed = setup('failed-token');
    const failure = signedReport('failed-token', SECRET, 'failed');
    await acceptCallback('plan_1-s1', failure.body, failure.signed, { ...failed.deps, metrics });
    await expect(
      acceptCallback('plan_1-s1', failure.body, failure.signed, { ...failed.deps, metrics }),
    ).rejects.toBeInstanceOf(StateConflict);
    const succeeded = setup('ok-token');
    const success = signedReport('ok-token');
    await acceptCallback('plan_1-s1', success.body, success.signed, { ...succeeded.deps, metrics });
    expect(metrics.points.filter((p) => p.name === 'AgentErrors')).toHaveLength(1);
  });

  it('fails the step when an agent reports a result too big to carry', async () => {
    const { MAX_REPORT_BYTES } = await import('../../functions/core/use-cases/dispatch-step.js');
    const { deps, workflow } = setup('current');
    const body = { customer_id: 'c-1', status: 'completed' as const, result: { blob: 'x'.repeat(MAX_REPORT_BYTES) } };
    const raw = JSON.stringify(body);
    const headers = signedHeaders(SECRET, raw, now);
    const dispatch = new URL(callbackUrl('https://api.example/', 'plan_1-s1', 'current')).searchParams.get('dispatch')!;
    await acceptCallback(
      'plan_1-s1',
      body,
      { raw, timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER], dispatch },
      deps,
    );
    expect(workflow.signals).toEqual([{ token: 'current', kind: 'failure', detail: 'StepFailed' }]);
  });
});
