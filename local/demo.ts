import { defaultUrl } from '../cli/context.js';
import type { ExecutionPlan } from '../functions/core/model/records.js';
import type { RecommendationView } from '../functions/core/use-cases/view-recommendation.js';
import {
  type ArbiterClient,
  arbiterClient,
  emailedReviewLink,
  endedPlan,
  operatorAlert,
  type RegisteredApprover,
  registerApprover,
  registerOrchestrator,
} from './arbiter-client.js';
import { storedSecrets } from './data-dir-secrets.js';
import {
  APPROVAL_STEPS,
  type ApprovalListing,
  type CoordinationResponse,
  createdPlan,
  EXECUTION_STEPS,
  finishedPlan,
  listedApproval,
  mismatches,
  outcomeOf,
  rolledBackRun,
  type Scenario,
  SEED_AGENTS,
  SEED_SCENARIOS,
} from './seed-scenarios.js';
import { type LocalStack, startLocalStack } from './stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Target {
  url: string;
  adminKey: string;
  stack?: LocalStack;
}

/** The admin key of a stack this machine runs: ARBITER_ADMIN_KEY, else the one it saved in ARBITER_DATA_DIR. */
function localAdminKey(): string | undefined {
  return process.env.ARBITER_ADMIN_KEY || storedSecrets(process.env.ARBITER_DATA_DIR)?.admin_key;
}

const answersHealth = (url: string) =>
  fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.status === 200 || r.status === 503,
    () => false,
  );

/**
 * ARBITER_URL when set; else the stack `npm start` runs on PORT (3000) if it answers /health; else a
 * stack of the demo's own, stopped at the end.
 */
async function target(): Promise<Target> {
  const running = defaultUrl(process.env);
  if (process.env.ARBITER_URL || (await answersHealth(running))) {
    const adminKey = localAdminKey();
    if (!adminKey)
      throw new DemoStop(
        `${running} answers, but its admin key is unknown: set ARBITER_ADMIN_KEY to the key its banner printed ` +
          '(or ARBITER_DATA_DIR to the data folder it was started with).',
      );
    return { url: running, adminKey };
  }
  // The handlers' JSON logs and EMF metric lines would bury the demo's output; warnings and errors still show.
  // LOG_FORMAT=json keeps everything, as Lambda writes it.
  if (process.env.LOG_FORMAT !== 'json') {
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  }
  const stack = await startLocalStack({ port: 0, quiet: true });
  return { url: stack.url, adminKey: stack.adminKey, stack };
}

/** A reason the demo cannot run, told in one line (no stack trace). */
class DemoStop extends Error {}

const failures: string[] = [];

function check(what: string, problems: string[]): void {
  if (problems.length === 0) {
    console.log('  ✓ as expected');
    return;
  }
  for (const problem of problems) console.log(`  ✗ ${problem}`);
  failures.push(...problems.map((p) => `${what}: ${p}`));
}

function oneLine(request: ReturnType<Scenario['request']>): string {
  const recs = request.recommendations.map(
    (r) =>
      `${r.id} ${r.action} ${r.risk_level} p${r.priority} [${(r.affected_resources as string[]).join(' ')}]${r.parameters ? ` parameters ${JSON.stringify(r.parameters)}` : ''}`,
  );
  return `POST /coordination/coordinate  ${recs.join('; ')}; auto_approve=${request.auto_approve}${request.execute_now ? '; execute_now=true' : ''}`;
}

async function playScenario(agent: ArbiterClient, customerId: string, scenario: Scenario): Promise<void> {
  console.log(`\n${scenario.name}`);
  const request = scenario.request(customerId);
  console.log(`  sent  ${oneLine(request)}`);
  const { status, body } = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', request);
  if (status !== 200) return check(scenario.name, [`expected 200, got ${status}: ${JSON.stringify(body)}`]);
  const outcome = outcomeOf(body);
  console.log(
    `  got   conflicts_detected ${outcome.conflicts_detected}, conflicts_resolved ${outcome.conflicts_resolved}, ` +
      `recommendations_kept ${outcome.recommendations_kept} (${outcome.kept.join(', ')}), ` +
      `approvals_required ${outcome.approvals_required}, auto_approved ${outcome.auto_approved}`,
  );
  for (const conflict of body.conflicts) {
    console.log(`  conflict ${conflict.type}/${conflict.severity}: ${conflict.description}`);
    console.log(`           → ${conflict.resolution}`);
  }
  check(scenario.name, mismatches(scenario.expected, outcome));
}

async function showDiscarded(agent: ArbiterClient): Promise<void> {
  console.log('\nGET /coordination/recommendations/rec-004 (the loser of test 2)');
  const { status, body } = await agent.call<{ status?: string; status_reason?: string; resolved_by?: string }>(
    'GET',
    '/coordination/recommendations/rec-004',
  );
  console.log(
    `  ${status}: status ${body.status}, reason "${body.status_reason}"${body.resolved_by ? `, beaten by ${body.resolved_by}` : ''}`,
  );
  check(
    'rec-004',
    status === 200 && body.status === 'discarded'
      ? []
      : [`expected 200 with status discarded, got ${status} ${JSON.stringify(body)}`],
  );
}

async function showValidationError(agent: ArbiterClient, customerId: string): Promise<void> {
  const [scenario] = SEED_SCENARIOS;
  const request = scenario.request(customerId);
  request.recommendations = [{ ...request.recommendations[0], id: 'rec-bad', risk_level: 'extreme' }];
  console.log('\nA validation error: POST /coordination/coordinate with risk_level "extreme"');
  const { status, body } = await agent.call<{ error?: string; details?: { field: string; message: string }[] }>(
    'POST',
    '/coordination/coordinate',
    request,
  );
  console.log(`  ${status}: ${body.error}`);
  for (const detail of body.details ?? []) console.log(`    ${detail.field}: ${detail.message}`);
  const namesField = body.details?.some((d) => d.field.endsWith('risk_level'));
  check(
    'validation',
    status === 400 && namesField ? [] : [`expected 400 naming risk_level, got ${status} ${JSON.stringify(body)}`],
  );
}

const approvalsPath = (customerId: string) => `/coordination/approvals?customer_id=${encodeURIComponent(customerId)}`;

async function listApprovals(approver: ArbiterClient, customerId: string): Promise<ApprovalListing['approvals']> {
  console.log(`\nApprovals 1, what waits for a decision: GET ${approvalsPath(customerId)}`);
  const { status, body } = await approver.call<ApprovalListing>('GET', approvalsPath(customerId));
  if (status !== 200) {
    check('approvals 1', [`expected 200, got ${status}: ${JSON.stringify(body)}`]);
    return [];
  }
  console.log(`  got   count ${body.count}`);
  for (const a of body.approvals)
    console.log(
      `        ${a.id}  ${a.recommendation_id} ${a.risk_level} ${a.status}, requested ${a.requested_at}, expires ${a.expires_at}`,
    );
  const rec003 = body.approvals.find((a) => a.recommendation_id === 'rec-003');
  check(
    'approvals 1',
    rec003
      ? mismatches(APPROVAL_STEPS.listed(customerId), listedApproval(rec003))
      : ["rec-003's approval is not listed"],
  );
  return body.approvals;
}

interface Decision {
  step: string;
  verb: 'approve' | 'reject';
  body: Record<string, string>;
  message: string;
  /** What the recommendation becomes, and what its status reason must mention. */
  status: string;
  reasonMentions: string;
}

/** Posts an approver's decision, then reads the recommendation back; checks both against the seed. */
async function decide(
  approver: ArbiterClient,
  approvalId: string,
  recommendationId: string,
  decision: Decision,
): Promise<void> {
  const path = `/coordination/approvals/${approvalId}/${decision.verb}`;
  console.log(`\n${decision.step}: POST ${path} ${JSON.stringify(decision.body)}`);
  const reply = await approver.call<{ message?: string; approval?: { status: string } }>('POST', path, decision.body);
  console.log(`  ${reply.status}: "${reply.body.message}"; the approval is ${reply.body.approval?.status}`);
  const rec = (await approver.call<RecommendationView>('GET', `/coordination/recommendations/${recommendationId}`))
    .body;
  console.log(
    `  ${recommendationId} is now ${rec.status} (${rec.status_reason})${rec.plan ? `; execution plan ${rec.plan.id} created` : ''}`,
  );
  const problems: string[] = [];
  if (reply.status !== 200 || reply.body.message !== decision.message)
    problems.push(`expected 200 "${decision.message}", got ${reply.status} ${JSON.stringify(reply.body)}`);
  if (rec.status !== decision.status || !rec.status_reason?.includes(decision.reasonMentions)) {
    problems.push(
      `expected ${recommendationId} ${decision.status} with a reason naming "${decision.reasonMentions}", got ${rec.status} (${rec.status_reason})`,
    );
  }
  check(decision.step, problems);
}

async function playApprovalSteps(agent: ArbiterClient, approver: ArbiterClient, customerId: string): Promise<void> {
  const { approver: email, rejectReason } = APPROVAL_STEPS;
  const rec003 = (await listApprovals(approver, customerId)).find((a) => a.recommendation_id === 'rec-003');
  if (rec003) {
    await decide(approver, rec003.id, 'rec-003', {
      step: 'Approvals 2, the approver approves rec-003',
      verb: 'approve',
      body: { user_id: email },
      message: APPROVAL_STEPS.approvedMessage,
      status: 'approved',
      reasonMentions: email,
    });
    const stillListed = (await approver.call<ApprovalListing>('GET', approvalsPath(customerId))).body.approvals.some(
      (a) => a.id === rec003.id,
    );
    console.log(`  GET ${approvalsPath(customerId)}: ${stillListed ? 'still lists it' : 'no longer lists it'}`);
    check('approvals 2 (listing)', stillListed ? [`${rec003.id} is still listed as pending`] : []);
  }

  console.log(
    '\nApprovals 3, a high-risk database migration that needs approval: POST /coordination/coordinate  rec-007 migrate_database high [db-prod]',
  );
  const coordinated = await agent.call<{ approvals?: { id: string }[] }>(
    'POST',
    '/coordination/coordinate',
    APPROVAL_STEPS.toReject(customerId),
  );
  const approvalId = coordinated.body.approvals?.[0]?.id;
  console.log(`  ${coordinated.status}: approval ${approvalId}`);
  if (coordinated.status !== 200 || !approvalId)
    return check('approvals 3', [
      `expected 200 with an approval, got ${coordinated.status} ${JSON.stringify(coordinated.body)}`,
    ]);
  await decide(approver, approvalId, 'rec-007', {
    step: 'Approvals 3, the approver rejects it with a reason',
    verb: 'reject',
    body: { user_id: email, reason: rejectReason },
    message: APPROVAL_STEPS.rejectedMessage,
    status: 'rejected',
    reasonMentions: rejectReason,
  });
}

const column = (text: string) => text.padEnd(17);

function printSteps(plan: ExecutionPlan, detail: (step: ExecutionPlan['steps'][number]) => string): void {
  for (const step of plan.steps) console.log(`        ${step.index + 1}. ${column(step.action)} ${detail(step)}`);
}

/** Coordinates a batch that runs at once; prints its plan as the answer shows it. Undefined (and a failure) without one. */
async function coordinatePlan(
  agent: ArbiterClient,
  step: string,
  request: ReturnType<Scenario['request']>,
): Promise<ExecutionPlan | undefined> {
  console.log(`  sent  ${oneLine(request)}`);
  const { status, body } = await agent.call<CoordinationResponse>('POST', '/coordination/coordinate', request);
  const plan = status === 200 ? body.execution_plans?.[0] : undefined;
  if (!plan) {
    check(step, [`expected 200 with an execution plan, got ${status} ${JSON.stringify(body)}`]);
    return undefined;
  }
  console.log(`  got   execution plan ${plan.id} for ${plan.recommendation_id}, ${plan.status}:`);
  printSteps(
    plan,
    (s) =>
      `${[s.critical ? 'critical' : 'not critical', s.reversible ? 'reversible' : 'not reversible'].join(', ').padEnd(26)} ${s.status}`,
  );
  return plan;
}

/** Polls the plan until it ends; prints each step's status, result and duration, and checks them against the seed. */
async function runToCompletion(agent: ArbiterClient, step: string, planId: string): Promise<void> {
  console.log(`\n${step}: GET /coordination/plans/${planId} until the plan ends`);
  const { plan, reads, waitedMs } = await endedPlan<ExecutionPlan>(agent, planId);
  console.log(
    `  got   ${plan.status}, total_duration_ms ${plan.total_duration_ms} (ended after ${reads} reads, ${waitedMs} ms of polling):`,
  );
  printSteps(plan, (s) => `${s.status.padEnd(10)} ${JSON.stringify(s.result ?? {})}  duration_ms ${s.duration_ms}`);
  const rec = (await agent.call<RecommendationView>('GET', `/coordination/recommendations/${plan.recommendation_id}`))
    .body;
  console.log(`  ${plan.recommendation_id} is now ${rec.status} (${rec.status_reason})`);
  check(step, mismatches(EXECUTION_STEPS.completed, finishedPlan(plan, rec.status ?? 'missing')));
}

/** Test 3 with a failure injected: the plan rolls back, the history tells each step, and the operators are alerted. */
async function playRollback(agent: ArbiterClient, url: string, customerId: string): Promise<void> {
  const step = 'Execution 3, a step fails and the plan rolls back';
  console.log(
    `\n${step}: a simulated failure of ${EXECUTION_STEPS.failingStep} (another recommendation, other resources)`,
  );
  const created = await coordinatePlan(agent, step, EXECUTION_STEPS.toFail(customerId));
  if (!created) return;
  const { plan, reads } = await endedPlan<ExecutionPlan>(agent, created.id);
  const recId = created.recommendation_id;
  const rec = (await agent.call<RecommendationView>('GET', `/coordination/recommendations/${recId}`)).body;
  console.log(`  got   plan ${plan.status} (after ${reads} reads); ${recId} is ${rec.status}:`);
  printSteps(plan, (s) => `${s.status}${s.error ? `: ${s.error}` : ''}`);
  console.log(`  ${recId}'s history:`);
  for (const entry of rec.history ?? []) console.log(`        ${entry.status.padEnd(12)} ${entry.reason}`);
  const problems = mismatches(
    EXECUTION_STEPS.rolledBack,
    rolledBackRun({ status: rec.status ?? 'missing', history: rec.history ?? [] }, plan),
  );
  const alert = await operatorAlert(url, customerId, recId).catch((error: Error) => {
    problems.push(error.message);
    return null;
  });
  if (alert === undefined) console.log(`  (${url} has no local outbox: the operator alert went out by email)`);
  else if (alert)
    console.log(
      `  operator alert (kind ${alert.attributes.kind}, outcome ${alert.attributes.outcome}): "${alert.subject}"`,
    );
  check(step, problems);
}

/**
 * An approved plan that was not run at once runs on request: rec-003, approved above, whose plan
 * waits for POST /coordination/plans/{id}/execute.
 */
async function playExecuteOnRequest(agent: ArbiterClient): Promise<void> {
  const step = 'Execution 4, an approved plan run on request';
  const rec = (await agent.call<RecommendationView>('GET', '/coordination/recommendations/rec-003')).body;
  console.log(
    `\n${step}: rec-003 (approved above, not execute_now) is ${rec.status}; its plan ${rec.plan?.id} is ${rec.plan?.status}`,
  );
  if (rec.status !== 'approved' || rec.plan?.status !== 'pending')
    return check(step, [`expected rec-003 approved with a pending plan, got ${rec.status} and ${rec.plan?.status}`]);
  const path = `/coordination/plans/${rec.plan.id}/execute`;
  const reply = await agent.call<{ message?: string; plan_id?: string }>('POST', path);
  console.log(`  POST ${path} → ${reply.status}: "${reply.body.message}"`);
  check(step, mismatches(EXECUTION_STEPS.executeAnswer, { status: reply.status, message: reply.body.message }));
  if (reply.status === 202) await runToCompletion(agent, `${step}, then`, rec.plan.id);
}

/** Execution: rec-008 runs at once and completes; a failure rolls back; an approved plan runs on request. */
async function playExecutionSteps(agent: ArbiterClient, url: string, customerId: string): Promise<void> {
  const step = 'Execution 1, a low-risk recommendation approved and run at once';
  console.log(`\n${step}: coordinate with auto_approve and execute_now`);
  const plan = await coordinatePlan(agent, step, EXECUTION_STEPS.toExecute(customerId));
  if (plan) {
    check(step, mismatches(EXECUTION_STEPS.created, createdPlan(plan)));
    await runToCompletion(agent, 'Execution 2, the plan followed to its end', plan.id);
  }
  await playRollback(agent, url, customerId);
  await playExecuteOnRequest(agent);
}

/** What the approver got by email for an approval still pending: the link a person would click. */
async function showReviewLink(
  url: string,
  approver: RegisteredApprover,
  customerId: string,
  ownStack: boolean,
): Promise<void> {
  const { body } = await arbiterClient(url, approver.api_key).call<ApprovalListing>('GET', approvalsPath(customerId));
  const pending = body.approvals?.[0];
  if (!pending) return check('review link', ['no pending approval is left to show a review link for']);
  console.log(
    `\nThe email to ${approver.email} about ${pending.recommendation_id} links to its review page (opening it changes nothing; the page has the buttons):`,
  );
  const link = await emailedReviewLink(url, approver.email, pending.id);
  if (!link) return console.log(`  (${url} has no local outbox: the link went out by email)`);
  console.log(`  ${link}`);
  if (ownStack)
    console.log(
      '  This stack stops with the demo. To open the link, run `npm start` first, then `ARBITER_ADMIN_KEY=<the key it ' +
        'printed> npm run demo`: the demo finds it on PORT (3000).',
    );
}

async function main(): Promise<void> {
  const { url, adminKey, stack } = await target();
  try {
    const customerId = `demo-${Date.now()}`;
    console.log(
      `Arbiter demo against ${url}${stack ? ' (a local stack started for this run)' : ''}, customer ${customerId}`,
    );
    const admin = arbiterClient(url, adminKey);
    // The seed's batches speak for three agents: each is registered, and an orchestrator submits for them.
    const agent = await registerOrchestrator(admin, customerId, SEED_AGENTS, 'demo-orchestrator');
    console.log(
      `POST /admin/agents → 201: agents ${SEED_AGENTS.join(', ')} and orchestrator ${agent.agent_id} for ${agent.customer_id}, key ${agent.api_key.slice(0, 12)}…`,
    );
    // Before any coordination: approval emails go to the approvers registered when they are sent.
    const approver = await registerApprover(admin, customerId, APPROVAL_STEPS.approver);
    console.log(
      `POST /admin/customers/${customerId}/approvers → 201: approver ${approver.approver_id} (${approver.email}), key ${approver.api_key.slice(0, 15)}…`,
    );
    const client = arbiterClient(url, agent.api_key);
    for (const scenario of SEED_SCENARIOS) await playScenario(client, customerId, scenario);
    await showDiscarded(client);
    await showValidationError(client, customerId);
    await playApprovalSteps(client, arbiterClient(url, approver.api_key), customerId);
    await playExecutionSteps(client, url, customerId);
    await showReviewLink(url, approver, customerId, stack !== undefined);
  } finally {
    await stack?.stop();
  }
  console.log(
    failures.length === 0
      ? '\nAll as expected.'
      : `\n${failures.length} expectation(s) failed:\n  ${failures.join('\n  ')}`,
  );
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exitCode = 1;
});
