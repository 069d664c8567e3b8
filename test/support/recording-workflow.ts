// A Workflow port that only records what the core asked of it, for tests that are about the
// database and the rules, not about Step Functions (the workflow tests run the real ASL).
import type { ExecutionState } from '../../functions/core/ports/reconcile.js';
import type { Signal, Workflow, WorkflowInput } from '../../functions/core/ports/workflow.js';

export class RecordingWorkflow implements Workflow {
  readonly started = new Map<string, WorkflowInput>();
  readonly signals: { token: string; kind: 'success' | 'failure'; detail: unknown }[] = [];
  readonly stopped: string[] = [];
  /** Executions a test says are running (the reconciler asks). */
  readonly running = new Set<string>();

  async start(name: string, input: WorkflowInput): Promise<void> {
    this.started.set(name, input);
  }

  async completeTask(token: string, output: Record<string, unknown>): Promise<Signal> {
    this.signals.push({ token, kind: 'success', detail: output });
    return 'sent';
  }

  async failTask(token: string, error: string): Promise<Signal> {
    this.signals.push({ token, kind: 'failure', detail: error });
    return 'sent';
  }

  async stop(name: string): Promise<void> {
    this.stopped.push(name);
  }

  async state(name: string): Promise<ExecutionState> {
    if (this.running.has(name)) return 'running';
    return this.started.has(name) ? 'ended' : 'missing';
  }
}
