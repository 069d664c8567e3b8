// The workflow's executions as the local Step Functions holds them: a table of them, and one
// execution's state history ("which state, entered and left when, and why it failed"). Inputs and
// outputs are left out: they are the workflow's plumbing, and a task's may carry its token.
import type { WorkflowInput } from '../../functions/core/ports/workflow.js';
import { definitionList } from '../html.js';
import type { Execution } from '../step-functions/index.js';
import { consolePage, executionHref, link, recommendationHref, section, status, table, text, time } from './layout.js';

type HistoryEvent = Execution['history'][number];
type EventDetails = { name?: unknown; error?: unknown; cause?: unknown; input?: unknown };

/**
 * How a state is named on the page from the JSON it entered or left with: a step task after its
 * step ("Run step 2: migrate_workload", step-names.ts), any other state as it is.
 */
export type StateNamer = (state: string, json: string) => string | undefined;
const asIs: StateNamer = (state) => state;

/** `stateEnteredEventDetails`, `taskFailedEventDetails`, ...: each event has one, named after its type. */
function detailsOf(event: HistoryEvent): EventDetails {
  const key = Object.keys(event).find((k) => k.endsWith('EventDetails'));
  return (key ? event[key] : {}) as EventDetails;
}

function stateName(event: HistoryEvent): string | undefined {
  const { name } = detailsOf(event);
  return typeof name === 'string' ? name : undefined;
}

function failure(error: unknown, cause: unknown): string | undefined {
  const parts = [error, cause].filter((part) => typeof part === 'string' && part !== '');
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/**
 * Each event's state as the page names it, from the input it entered with. Its exit keeps that name:
 * the output has moved on (a step's output points at the next step).
 */
function namedStates(execution: Execution, nameState: StateNamer): (string | undefined)[] {
  const entered = new Map<string, string>();
  return execution.history.map((event) => {
    const state = stateName(event);
    if (state === undefined) return undefined;
    const { input } = detailsOf(event);
    if (!event.stateEnteredEventDetails || typeof input !== 'string') return entered.get(state) ?? state;
    const named = nameState(state, input) ?? state;
    entered.set(state, named);
    return named;
  });
}

/** The state a running execution is in, or the one an ended execution ended in: the last entered. */
function currentState(execution: Execution, nameState: StateNamer = asIs): string | undefined {
  const names = namedStates(execution, nameState);
  return names.filter((_, i) => execution.history[i].stateEnteredEventDetails).at(-1);
}

/** The recommendation an execution runs for, from the input Arbiter started it with. */
export function recommendationOf(
  execution: Execution,
): Pick<WorkflowInput, 'customer_id' | 'recommendation_id'> | undefined {
  try {
    const input = JSON.parse(execution.input) as Partial<WorkflowInput>;
    if (typeof input.customer_id === 'string' && typeof input.recommendation_id === 'string')
      return { customer_id: input.customer_id, recommendation_id: input.recommendation_id };
  } catch {
    // not Arbiter's input (a test's own): no recommendation to name
  }
  return undefined;
}

function recommendationLink(execution: Execution): string {
  const of = recommendationOf(execution);
  return of
    ? link(recommendationHref(of.customer_id, of.recommendation_id), `${of.customer_id} / ${of.recommendation_id}`)
    : text(undefined);
}

/**
 * A workflow that records a rejection, a cancellation or an expiry ends in a Succeed state: Step
 * Functions says SUCCEEDED. The console shows the recommendation's own ending instead (`ending`,
 * its status), and keeps Step Functions' word for the hover.
 */
export function executionStatus(execution: Execution, ending: string | undefined): string {
  if (execution.status === 'SUCCEEDED' && ending && ending !== 'completed')
    return status(ending, `Step Functions: ${execution.status}`);
  return status(execution.status);
}

/** `endings`: the recommendations' statuses by execution name. */
export function executionsSection(
  executions: readonly Execution[],
  endings: ReadonlyMap<string, string> = new Map(),
): string {
  const rows = executions.map((e) => [
    link(executionHref(e.name), e.name),
    executionStatus(e, endings.get(e.name)),
    time(e.startDate),
    time(e.stopDate),
    text(currentState(e)),
  ]);
  return section(
    'executions',
    'Executions',
    table(['Name', 'Status', 'Started', 'Stopped', 'Current or final state'], rows, 'No executions yet.'),
  );
}

/** `ending`: its recommendation's status, when there is one. */
export function executionPage(execution: Execution, ending?: string, nameState: StateNamer = asIs): string {
  const summary = definitionList([
    ['Status', executionStatus(execution, ending)],
    ['Step Functions status', text(execution.status)],
    ['Recommendation', recommendationLink(execution)],
    ['Started', time(execution.startDate)],
    ['Stopped', time(execution.stopDate)],
    ['Current or final state', text(currentState(execution, nameState))],
    ['Error', text(failure(execution.error, execution.cause))],
  ]);
  const names = namedStates(execution, nameState);
  const rows = execution.history.map((event, i) => {
    const { error, cause } = detailsOf(event);
    return [text(event.id), time(event.timestamp), text(event.type), text(names[i]), text(failure(error, cause))];
  });
  const history = section(
    'state-history',
    'State history',
    table(['#', 'Time', 'Event', 'State', 'Error: cause'], rows, 'No events yet.'),
  );
  return consolePage(`Execution ${execution.name}`, `${summary}\n${history}`);
}
