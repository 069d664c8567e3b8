// Executions of the one local state machine, run by aws-local-stepfunctions: their status as
// DescribeExecution reports it, their history, and the task tokens they hand out.
import './polyfill.js';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { allStates, forEngine } from './definition.js';
import { ExecutionHistory, type HistoryEvent } from './history.js';
import { terminalError } from './limits.js';
import { type StepActions, stepIndexOf, stepIndexPaths } from './step-names.js';
import { type TaskHandlers, taskOverrides } from './task-overrides.js';
import { TaskTokens } from './task-tokens.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** JSON text, as the API carries it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  history: readonly HistoryEvent[];
}

type Outcome = Pick<Execution, 'status' | 'output' | 'error' | 'cause'>;

export interface EngineOptions {
  stateMachineArn: string;
  definition: StateMachineDefinition;
  handlers?: TaskHandlers;
  /** Milliseconds between retries, instead of the ASL's IntervalSeconds and backoff (0 in tests). */
  retryIntervalOverrides?: number;
  quiet?: boolean;
  /** What EventBridge does on AWS: tells functions/execution-ended of executions that ended badly. */
  onEnded?: (execution: Execution) => void;
  /** The plan's step actions, to name step tasks in the log. */
  stepActions?: StepActions;
}

/** The engine takes ~200 ms to validate a definition: once per distinct definition is enough. */
const validated = new Set<string>();

function engineFor(definition: StateMachineDefinition): StateMachine {
  const text = JSON.stringify(definition);
  const engine = new StateMachine(definition, { validationOptions: { noValidate: validated.has(text) } });
  validated.add(text);
  return engine;
}

function outcomeOf(error: unknown): Outcome {
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout' };
  const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
  return { status: 'FAILED', error: failure.name, cause: failure.message };
}

/**
 * The history is read from the engine's event log asynchronously; one turn of the event loop lets it
 * catch up, so a state over a quota ends the execution before the next task's function runs.
 */
async function stillRunning(execution: Execution): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (execution.status !== 'RUNNING')
    throw terminalError('States.ExecutionEnded', `the execution ended (${execution.error ?? execution.status})`);
}

export class Executions {
  readonly tokens = new TaskTokens();
  private readonly engine: StateMachine;
  private readonly definition: StateMachineDefinition;
  private readonly stepIndexPaths: ReadonlyMap<string, string>;
  private readonly retryIntervals?: Record<string, number>;
  private readonly resources = new Map<string, string>();
  private readonly byArn = new Map<string, Execution>();
  private readonly aborts = new Map<string, () => void>();
  private readonly running = new Set<Promise<unknown>>();
  private halted = false;

  constructor(private readonly options: EngineOptions) {
    const definition = forEngine(options.definition);
    this.engine = engineFor(definition);
    this.definition = definition;
    this.stepIndexPaths = stepIndexPaths(definition);
    // Refuses a Task without a local stand-in now rather than at its first execution.
    taskOverrides(definition, { tokens: this.tokens });
    const states = allStates(definition);
    for (const [name, state] of states)
      if (typeof state.Resource === 'string') this.resources.set(name, state.Resource);
    const interval = options.retryIntervalOverrides;
    if (interval !== undefined)
      this.retryIntervals = Object.fromEntries([...states.keys()].map((name) => [name, interval]));
  }

  /** The step a state entered with this input (its history's JSON) works on, if it runs one step of a plan. */
  stepIndexOf(state: string, input: string): number | undefined {
    try {
      return stepIndexOf(this.stepIndexPaths, state, JSON.parse(input));
    } catch {
      return undefined;
    }
  }

  get stateMachineArn(): string {
    return this.options.stateMachineArn;
  }

  executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  find(executionArn: string): Execution | undefined {
    return this.byArn.get(executionArn);
  }

  /** Newest first, as ListExecutions answers. */
  list(): Execution[] {
    return [...this.byArn.values()].reverse();
  }

  start(name: string, input: string): Execution {
    const executionArn = this.executionArn(name);
    if (this.byArn.has(executionArn)) throw new Error(`execution ${name} exists already`);
    const history = new ExecutionHistory(
      (state) => this.resources.get(state),
      (error, cause) => this.fail(execution, error, cause),
    );
    const execution: Execution = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      input,
      history: history.events,
    };
    this.byArn.set(executionArn, execution);
    const tokens = this.tokens;
    const engine = this;
    const overrides = taskOverrides(this.definition, {
      tokens,
      handlers: this.options.handlers,
      // Once halted, a handler cut off by the stack going down is no news.
      get quiet() {
        return engine.options.quiet || engine.halted;
      },
      beforeInvoke: () => stillRunning(execution),
      track: (run) => this.track(run),
      stepActions: this.options.stepActions,
    });
    const run = this.engine.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: overrides as never, retryIntervalOverrides: this.retryIntervals },
      context: {
        Execution: { Id: executionArn, Name: name },
        StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineArn.split(':').at(-1) },
        // A getter on the nested Task object: run() copies the context shallowly, and each
        // evaluation of $$.Task.Token must mint a token tied to this execution.
        Task: {
          get Token() {
            return tokens.mint(executionArn);
          },
        },
      },
    });
    this.aborts.set(executionArn, run.abort);
    const outcome = run.result.then(
      (output): Outcome => ({ status: 'SUCCEEDED', output: JSON.stringify(output) }),
      outcomeOf,
    );
    // The status changes once the history is complete, so whoever sees an end also sees how it came.
    void Promise.all([outcome, history.record(run.eventLogs)]).then(([ended]) => this.finish(execution, ended));
    return execution;
  }

  /** Aborts a running execution now (StopExecution); an ended one is left as it is. */
  stop(execution: Execution, error?: string, cause?: string): void {
    if (execution.status !== 'RUNNING') return;
    this.finish(execution, { status: 'ABORTED', error, cause });
    this.aborts.get(execution.executionArn)?.();
  }

  /** A quota crossed (seen in the history): the execution fails at once, as on AWS, and its run is aborted. */
  private fail(execution: Execution, error: string, cause: string): void {
    const abort = this.aborts.get(execution.executionArn);
    this.finish(execution, { status: 'FAILED', error, cause });
    abort?.();
  }

  /**
   * The local stack is going down (Ctrl-C): unlike StopExecution, ending the executions here is no
   * event, so execution-ended does not record them failed without rollback while the table is
   * going away. Their recommendations stay in flight in the data directory and the reconciler gives
   * them a workflow at the next start, as after a crash. Waits (up to `settleMs`) for the handlers
   * under way, so none writes after DynamoDB Local stopped.
   */
  async halt(cause: string, settleMs = 2000): Promise<void> {
    this.halted = true;
    for (const execution of this.byArn.values()) this.stop(execution, 'States.Aborted', cause);
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, settleMs)));
    await Promise.race([Promise.allSettled([...this.running]), cap]);
    clearTimeout(timer);
  }

  private track<T>(run: Promise<T>): Promise<T> {
    this.running.add(run);
    const forget = () => this.running.delete(run);
    run.then(forget, forget);
    return run;
  }

  private finish(execution: Execution, outcome: Outcome): void {
    if (execution.status !== 'RUNNING') return;
    Object.assign(execution, outcome, { stopDate: new Date() });
    this.aborts.delete(execution.executionArn);
    this.tokens.closeExecution(execution.executionArn);
    if (outcome.status !== 'SUCCEEDED' && !this.halted) this.options.onEnded?.(execution);
  }
}
