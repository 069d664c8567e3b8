// A review link decides for its approver on DynamoDB Local: the approver and the approval are read
// from the table, a removed approver is refused, an unknown approval is not found.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../functions/adapters/ids.js';
import { deciderFromLink, type LinkPorts } from '../../functions/core/access/approvals.js';
import { Forbidden, NotFound } from '../../functions/core/model/errors.js';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { signLink } from '../../functions/core/protocol/review-links.js';
import { coordinate } from '../../functions/core/use-cases/coordinate.js';
import { registerApprover } from '../../functions/core/use-cases/register-approver.js';
import { rec } from '../support/fixtures.js';
import { RecordingNotifier } from '../support/recording-notifier.js';
import { RecordingWorkflow } from '../support/recording-workflow.js';
import { dynamoStores } from '../support/stores.js';
import { freshTable } from '../support/table.js';

const SECRET = 'k'.repeat(48);
const clock = { now: () => new Date() };
let deps: ReturnType<typeof dynamoStores> & LinkPorts & Parameters<typeof coordinate>[1];

beforeAll(async () => {
  const { endpoint, tableName } = await freshTable();
  deps = {
    ...dynamoStores(endpoint, tableName),
    workflow: new RecordingWorkflow(),
    clock,
    ids: { next: newId },
    linkSecret: async () => SECRET,
  };
});

/** A customer with one approver and one pending approval, and a valid link to it. */
async function pending() {
  const customer = `dl-${randomUUID().slice(0, 8)}`;
  const approver = await registerApprover(
    { customer_id: customer, email: 'Ann@Example.com' },
    { ...deps, notifier: new RecordingNotifier() },
  );
  const { approvals } = await coordinate(
    CoordinateRequest.parse({
      customer_id: customer,
      recommendations: [rec({ id: 'risky', risk_level: 'medium', affected_resources: ['i-1'] })],
    }),
    deps,
  );
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const link = (approvalId: string, approverId = approver.approver_id) => ({
    approver: approverId,
    expires,
    sig: signLink({ approvalId, approverId, expires }, SECRET),
  });
  return { customer, approver, approval: approvals[0], link };
}

describe('deciderFromLink', () => {
  it('decides as the approver the link names, for that approver’s customer, with the approval as stored', async () => {
    const { customer, approver, approval, link } = await pending();
    const decider = await deciderFromLink(approval.id, link(approval.id), deps);
    expect(decider).toMatchObject({
      customerId: customer,
      approver: { id: approver.approver_id, email: 'ann@example.com' },
      approval: { id: approval.id, recommendation_id: 'risky', status: 'pending' },
    });
  });

  it('refuses a genuine link of an approver who does not exist (any more)', async () => {
    const { approval, link } = await pending();
    await expect(deciderFromLink(approval.id, link(approval.id, 'apr_gone'), deps)).rejects.toThrow(
      new Forbidden('This approver no longer exists.'),
    );
  });

  it('answers not found for a genuine link to an approval the approver’s customer does not have', async () => {
    const { link } = await pending();
    await expect(deciderFromLink('apr_unknown', link('apr_unknown'), deps)).rejects.toThrow(
      new NotFound('This approval does not exist.'),
    );
  });
});
