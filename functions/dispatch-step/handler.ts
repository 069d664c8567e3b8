// Workflow tasks "Run step" and "Roll back step" (.waitForTaskToken): a signed POST to the agent.
import * as z from 'zod';
import { Identifier } from '../core/model/inputs.js';
import { dispatchStep } from '../core/use-cases/dispatch-step.js';
import { agentClient, publicUrl, resolveTarget } from '../shared/agents.js';
import { metrics } from '../shared/metrics.js';
import { notifier } from '../shared/notifier.js';
import { clock, once } from '../shared/runtime.js';
import { sealedStores } from '../shared/sealed-stores.js';
import { taskHandler } from '../shared/task.js';
import { workflow } from '../shared/workflow.js';

const Input = z.object({
  customer_id: Identifier,
  recommendation_id: Identifier,
  mode: z.enum(['execute', 'rollback']),
  step_index: z.number().int().min(0),
  task_token: z.string().min(1),
});

// The agent's signing secret is opened to sign the step.
const deps = once(() => ({
  ...sealedStores(),
  clock,
  workflow,
  agentClient: agentClient(),
  resolveTarget,
  // An agent's circuit that opens or closes alerts the operators.
  notifier,
  // A step the agent reports at once is recorded here (StepDuration).
  metrics,
  get publicUrl() {
    return publicUrl();
  },
}));

export const handler = taskHandler(Input, (input) => dispatchStep(input, deps()));
