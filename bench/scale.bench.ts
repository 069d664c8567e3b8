// Execution at scale on the local stack (the real ASL, handlers, DynamoDB Local, simulated agents):
// N recommendations of 5-step plans with two parallel branches (A, then B→C beside D, then E) run
// with execute_now across C customers; one customer's D runs on an agent that is down, so its
// circuit opens. The same load runs with parallelism (max_parallel_steps 5) and without (1).
// Reported: wall time, peak steps at once (per plan, overall), peak executions of the limited
// action per customer, outcomes, and what was left non-terminal or locked.
// Run: node --import tsx bench/scale.bench.ts [recommendations=200] [customers=20] [delay_ms=100] [order=par,seq]
import { loadavg } from 'node:os';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, keys } from '../functions/adapters/dynamo.js';
import type { ExecutionPlan } from '../functions/core/model/records.js';
import { arbiterClient, eventually, registerAgent } from '../local/arbiter-client.js';
import { startLocalStack } from '../local/stack.js';

const RECS = Number(process.argv[2] ?? 200);
const CUSTOMERS = Number(process.argv[3] ?? 20);
const DELAY_MS = Number(process.argv[4] ?? 100);
/** Which mode runs first (`par,seq` or `seq,par`): the stack warms up and its table fills as it goes. */
const ORDER = (process.argv[5] ?? 'par,seq').split(',');
if (ORDER.some((mode) => mode !== 'par' && mode !== 'seq')) throw new Error('order: par,seq or seq,par');
const ACTION = 'rebalance_pool';
const ACTION_LIMIT = 3;
const MAX_PARALLEL = 5;
const DOWN_AGENT = 'flaky-agent';
const TERMINAL = ['completed', 'failed', 'rolled_back', 'rollback_failed', 'cancelled', 'expired', 'discarded'];

const stack = await startLocalStack({ port: 0, quiet: true });
const admin = arbiterClient(stack.url, stack.adminKey);
const db = documentClient({ endpoint: stack.dynamoEndpoint });

interface Submission {
  /** Each call's milliseconds, retries included. */
  callsMs: number[];
  statuses: number[];
}

/** POST /coordination/coordinate until it answers 200, waiting as its Retry-After says on 429 and 503 (5 tries). */
async function coordinate(apiKey: string, body: unknown): Promise<Submission> {
  const submission: Submission = { callsMs: [], statuses: [] };
  for (let attempt = 1; ; attempt++) {
    const t = performance.now();
    const response = await fetch(`${stack.url}/coordination/coordinate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    submission.callsMs.push(performance.now() - t);
    submission.statuses.push(response.status);
    if (response.status === 200) return submission;
    const retryAfter = Number(response.headers.get('retry-after'));
    if (![429, 503].includes(response.status) || !retryAfter || attempt === 5)
      throw new Error(`coordinate answered ${response.status} (try ${attempt}): ${text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}

type Interval = [number, number];
/** The most intervals that overlap at one instant. */
function peak(intervals: Interval[]): number {
  const edges = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) {
    now += d;
    most = Math.max(most, now);
  }
  return most;
}

const stepIntervals = (plan: ExecutionPlan): Interval[] =>
  plan.steps
    .filter((s) => s.started_at && s.completed_at)
    .map((s) => [Date.parse(s.started_at!), Date.parse(s.completed_at!)]);

function recommendation(customer: number, i: number, prefix: string) {
  const down = customer === 0;
  return {
    id: `${prefix}-r${i}`,
    agent_id: 'cost-agent-1',
    agent_type: 'cost',
    type: 'cost',
    title: `scale ${i}`,
    action: ACTION,
    risk_level: 'low',
    affected_resources: [`pool-${i}`],
    priority: 1,
    confidence: 0.9,
    parameters: { simulate: { delay_ms: DELAY_MS, unavailable_steps: down ? ['drain_b'] : [] } },
    steps: [
      { action: 'snapshot', reversible: true, timeout_seconds: 60 },
      { action: 'drain_a', reversible: true, after: [0], timeout_seconds: 60 },
      { action: 'resize_a', reversible: true, after: [1], timeout_seconds: 60 },
      // Short only where the agent is down, so that its executions give up soon; elsewhere as long as the rest: on a
      // busy machine a 2 s step dispatched through the one local event loop can take longer than 15 s.
      { action: 'drain_b', agent_id: down ? DOWN_AGENT : 'cost-agent-1', after: [0], timeout_seconds: down ? 15 : 60 },
      { action: 'verify', after: [2, 3], timeout_seconds: 60 },
    ],
  };
}

async function run(prefix: string, maxParallel: number) {
  const customers = Array.from({ length: CUSTOMERS }, (_, c) => `${prefix}-c${c}`);
  const agents = await Promise.all(
    customers.map(async (customer) => {
      const { api_key } = await registerAgent(admin, 'cost-agent-1', customer, 'orchestrator');
      await registerAgent(admin, DOWN_AGENT, customer);
      await admin.call('PUT', `/admin/customers/${customer}/policy`, {
        max_parallel_steps: maxParallel,
        action_limits: { [ACTION]: ACTION_LIMIT },
        circuit_breaker: { failures: 3, cool_down_seconds: 5 },
      });
      return { ...arbiterClient(stack.url, api_key), apiKey: api_key };
    }),
  );
  const perCustomer = Math.ceil(RECS / CUSTOMERS);
  const ids = customers.map((_, c) =>
    Array.from({ length: perCustomer }, (_, k) => `${prefix}-r${c * perCustomer + k}`).slice(0, RECS),
  );
  const started = performance.now();
  const startedAt = Date.now();
  // One customer at a time, as one orchestrator per customer would submit. Under load a coordinate can
  // overrun its 29 s budget (the API then answers 503 with Retry-After); the bench retries as a client
  // should, and reports how often and how long the calls took.
  const submissions: Submission[] = [];
  for (const [c, customer] of customers.entries())
    submissions.push(
      await coordinate(agents[c].apiKey, {
        customer_id: customer,
        recommendations: ids[c].map((id) => recommendation(c, Number(id.split('-r').at(-1)), prefix)),
        auto_approve: true,
        execute_now: true,
      }),
    );
  const submittedMs = performance.now() - started;
  const views = await eventually(
    `${prefix}: every recommendation to end`,
    async () => {
      const all = await Promise.all(
        customers.flatMap((_, c) =>
          ids[c].map(async (id) => {
            const { body } = await agents[c].call<{ status: string; status_reason?: string; plan?: ExecutionPlan }>(
              'GET',
              `/coordination/recommendations/${id}`,
            );
            return { customer: c, ...body };
          }),
        ),
      );
      return all.every((v) => TERMINAL.includes(v.status)) ? all : undefined;
    },
    30 * 60_000,
  );
  const wallMs = performance.now() - started;
  // Executions end just after their outcome is recorded.
  const running = await eventually(
    'executions to end',
    async () => {
      const left = stack.stepFunctions.executions.list().filter((e) => e.status === 'RUNNING').length;
      return left === 0 ? 0 : undefined;
    },
    60_000,
  ).catch(() => stack.stepFunctions.executions.list().filter((e) => e.status === 'RUNNING').length);
  const locksHeld = (
    await Promise.all(
      customers.map(async (customer) => {
        const { Items = [] } = await db.send(
          new QueryCommand({
            TableName: stack.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lock)',
            ExpressionAttributeValues: { ':pk': keys.customer(customer), ':lock': 'LOCK#R#' },
          }),
        );
        const { Items: slots = [] } = await db.send(
          new QueryCommand({
            TableName: stack.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :running)',
            ExpressionAttributeValues: { ':pk': keys.customer(customer), ':running': 'RUNNING' },
          }),
        );
        return Items.length + slots.reduce((n, s) => n + ((s.holders as Set<string> | undefined)?.size ?? 0), 0);
      }),
    )
  ).reduce((a, b) => a + b, 0);
  const plans = views.flatMap((v) => (v.plan ? [{ customer: v.customer, plan: v.plan }] : []));
  const planPeak = Math.max(...plans.map(({ plan }) => peak(stepIntervals(plan))));
  const overallPeak = peak(plans.flatMap(({ plan }) => stepIntervals(plan)));
  const actionPeak = Math.max(
    ...customers.map((_, c) =>
      peak(
        plans
          .filter((p) => p.customer === c && p.plan.started_at)
          .map(({ plan }) => {
            const ends = plan.steps.flatMap((s) => (s.completed_at ? [Date.parse(s.completed_at)] : []));
            return [Date.parse(plan.started_at!), Math.max(...ends, Date.parse(plan.started_at!))] as Interval;
          }),
      ),
    ),
  );
  // Customers other than the one whose agent is down: how long the load takes when agents answer.
  const healthyMs =
    Math.max(
      ...plans
        .filter((p) => p.customer !== 0)
        .flatMap(({ plan }) => plan.steps.flatMap((s) => (s.completed_at ? [Date.parse(s.completed_at)] : []))),
    ) - startedAt;
  const outcomes: Record<string, number> = {};
  for (const v of views) outcomes[v.status] = (outcomes[v.status] ?? 0) + 1;
  // Why the ones that did not complete ended so: whose agent was down, and what the failed step said.
  const endings: Record<string, number> = {};
  for (const v of views.filter((v) => v.status !== 'completed')) {
    const failed = v.plan?.steps.find((s) => s.status === 'failed');
    const why = `${v.customer === 0 ? 'agent down' : 'agents up'}: ${failed ? `${failed.action}: ${failed.error}` : v.status_reason}`;
    endings[why] = (endings[why] ?? 0) + 1;
  }
  console.error(`${prefix} endings other than completed:`, endings);
  const calls = submissions.flatMap((s) => s.callsMs).sort((a, b) => a - b);
  return {
    submittedMs,
    coordinateP50: calls[Math.floor(calls.length / 2)],
    coordinateMax: calls.at(-1)!,
    retried: submissions.filter((s) => s.statuses.length > 1).length,
    wallMs,
    healthyMs,
    planPeak,
    overallPeak,
    actionPeak,
    outcomes,
    running,
    locksHeld,
    steps: plans.length * 5,
  };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

try {
  const rows = [];
  const submissionRows = [];
  const modes = {
    par: ['parallel (max_parallel_steps 5)', MAX_PARALLEL],
    seq: ['parallelism off (max_parallel_steps 1)', 1],
  } as const;
  for (const prefix of ORDER as (keyof typeof modes)[]) {
    const [label, maxParallel] = modes[prefix];
    const loadBefore = load();
    const r = await run(prefix, maxParallel);
    const outcomes = Object.entries(r.outcomes)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    rows.push(
      `| ${label} | ${RECS} × 5 steps, ${CUSTOMERS} customers | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.healthyMs / 1000).toFixed(1)} s | ` +
        `${r.planPeak} (≤ ${maxParallel}) | ${r.overallPeak} | ${r.actionPeak} (≤ ${ACTION_LIMIT}) | ${outcomes} | ` +
        `${r.running} | ${r.locksHeld} |`,
    );
    submissionRows.push(
      `| ${label} | ${(r.submittedMs / 1000).toFixed(1)} s | ${(r.coordinateP50 / 1000).toFixed(1)} s | ` +
        `${(r.coordinateMax / 1000).toFixed(1)} s | ${r.retried} of ${CUSTOMERS} | ${loadBefore} → ${load()} |`,
    );
    console.error(`${rows.at(-1)}\n${submissionRows.at(-1)}`);
  }
  console.log(
    `delay_ms ${DELAY_MS}; customer 0's drain_b runs on ${DOWN_AGENT}, which is down (its circuit opens)\n` +
      '| mode | load | wall time (all) | wall time (customers whose agents answer) | peak steps in one plan | peak steps at once (all) | ' +
      `peak ${ACTION} executions per customer | outcomes | executions left running | locks/slots left held |\n` +
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n' +
      rows.join('\n'),
  );
  console.log(
    `\nSubmission: one coordinate (${Math.ceil(RECS / CUSTOMERS)} recommendations, execute_now) per customer, in turn\n` +
      '| mode | all submitted after | coordinate p50 | coordinate max | customers retried (503/429) | load average (1, 5, 15 min) before → after |\n' +
      '| --- | --- | --- | --- | --- | --- |\n' +
      submissionRows.join('\n'),
  );
} finally {
  await stack.stop();
}
