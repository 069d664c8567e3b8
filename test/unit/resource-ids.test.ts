// Resource ids and Arbiter's own queues (life17 gap 5): plans wait in queues named after their resources,
// and in three of Arbiter's own (#paused, #slot, #action:<action>). A customer resource named like one of
// them would share it (a resume would wake it, a slot release would count it), so none may start with '#'.
import { describe, expect, it } from 'vitest';
import { CoordinateRequest } from '../../functions/core/model/inputs.js';
import { actionQueue, SLOT_QUEUE } from '../../functions/core/rules/resource-queues.js';
import { PAUSE_QUEUE } from '../../functions/core/use-cases/execution-hold.js';
import { issuesOf } from '../../functions/shared/validation.js';
import { rec } from '../support/fixtures.js';

const batch = (resources: string[]) => ({
  customer_id: 'c-1',
  recommendations: [rec({ id: 'r-1', affected_resources: ['i-1', ...resources] })],
});

describe("a resource id never names one of Arbiter's queues", () => {
  it.each([PAUSE_QUEUE, SLOT_QUEUE, actionQueue('scale_up'), '#anything'])('%s is refused, naming the field', (id) => {
    const parsed = CoordinateRequest.safeParse(batch([id]));
    expect(parsed.success).toBe(false);
    expect(issuesOf(parsed.error!)).toEqual([
      {
        field: 'recommendations[0].affected_resources[1]',
        message: "must not start with '#' (reserved for Arbiter's internal queues)",
      },
    ]);
  });

  it("accepts '#' anywhere else, as ARNs and paths use it", () => {
    const parsed = CoordinateRequest.safeParse(batch(['arn:aws:ec2:eu-west-1:1:instance/i-1#eni', 'db#1']));
    expect(parsed.success).toBe(true);
  });
});
