// The console never shows a green SUCCEEDED for a workflow whose recommendation did not complete
// (issue 9 §4): Step Functions ends a rejection or a cancellation in a Succeed state.
import { describe, expect, it } from 'vitest';
import { ENDED_WITHOUT_COMPLETING } from '../../functions/core/model/statuses.js';
import { executionStatus } from '../../local/console/executions-page.js';
import type { Execution } from '../../local/step-functions/index.js';

const succeeded = { status: 'SUCCEEDED' } as Execution;

describe('an execution’s status in the console', () => {
  it.each(ENDED_WITHOUT_COMPLETING)(
    'a SUCCEEDED workflow of a %s recommendation shows that ending, not green',
    (ending) => {
      const badge = executionStatus(succeeded, ending);
      expect(badge).toContain(`>${ending}<`);
      expect(badge).not.toContain('status ok');
      expect(badge).toContain('title="Step Functions: SUCCEEDED"');
    },
  );

  it('a completed one is SUCCEEDED, in green', () => {
    expect(executionStatus(succeeded, 'completed')).toBe('<span class="status ok">SUCCEEDED</span>');
  });

  it('cancelled is neutral and rejected is red', () => {
    expect(executionStatus(succeeded, 'cancelled')).toContain('class="status neutral"');
    expect(executionStatus(succeeded, 'rejected')).toContain('class="status bad"');
  });
});
