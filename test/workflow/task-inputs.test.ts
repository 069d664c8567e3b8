// What the workflow's task inputs keep: a schema that drops a field the ASL passes silently changes behaviour.
import { describe, expect, it } from 'vitest';
import { RecordStepInput } from '../../functions/record-step/handler.js';

describe('record-step input', () => {
  it("keeps the start event's max_parallel (the policy's max_parallel_steps)", () => {
    const parsed = RecordStepInput.parse({ customer_id: 'c', recommendation_id: 'r', event: 'start', max_parallel: 3 });
    expect(parsed).toEqual({ customer_id: 'c', recommendation_id: 'r', event: 'start', max_parallel: 3 });
  });

  it('refuses a max_parallel out of range', () => {
    expect(() =>
      RecordStepInput.parse({ customer_id: 'c', recommendation_id: 'r', event: 'start', max_parallel: 0 }),
    ).toThrow();
  });
});
