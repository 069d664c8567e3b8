// `npm run demo`: plays seed 001 STEP 5 (tests 1–3) over HTTP and says, for each, whether Arbiter
// answered what the seed expects. Against ARBITER_URL (with ARBITER_ADMIN_KEY) when set, else
// against a local stack it starts and stops itself. Exits 1 if any expectation fails.
import { arbiterClient, registerAgent, type ArbiterClient } from './arbiter-client.js';
import { SEED_SCENARIOS, mismatches, outcomeOf, type CoordinationResponse, type Scenario } from './seed-scenarios.js';
import { startLocalStack, type LocalStack } from './stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Target {
  url: string;
  adminKey: string;
  stack?: LocalStack;
}

async function target(): Promise<Target> {
  const url = process.env.ARBITER_URL;
  if (url) {
    const adminKey = process.env.ARBITER_ADMIN_KEY;
    if (!adminKey) throw new Error('ARBITER_URL is set: set ARBITER_ADMIN_KEY to the admin key that stack printed');
    return { url, adminKey };
  }
  // The handlers' JSON logs would bury the demo's output; warnings and errors still show.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const stack = await startLocalStack({ port: 0, quiet: true });
  return { url: stack.url, adminKey: stack.adminKey, stack };
}

const failures: string[] = [];

function check(what: string, problems: string[]): void {
  if (problems.length === 0) return console.log('  ✓ as expected');
  for (const problem of problems) console.log(`  ✗ ${problem}`);
  failures.push(...problems.map((p) => `${what}: ${p}`));
}

function oneLine(request: ReturnType<Scenario['request']>): string {
  const recs = request.recommendations.map((r) => `${r.id} ${r.action} ${r.risk_level} p${r.priority} [${(r.affected_resources as string[]).join(' ')}]`);
  return `POST /coordination/coordinate  ${recs.join('; ')}; auto_approve=${request.auto_approve}`;
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
  const { status, body } = await agent.call<{ status?: string; status_reason?: string; resolved_by?: string }>('GET', '/coordination/recommendations/rec-004');
  console.log(`  ${status}: status ${body.status}, reason "${body.status_reason}"${body.resolved_by ? `, beaten by ${body.resolved_by}` : ''}`);
  check('rec-004', status === 200 && body.status === 'discarded' ? [] : [`expected 200 with status discarded, got ${status} ${JSON.stringify(body)}`]);
}

async function showValidationError(agent: ArbiterClient, customerId: string): Promise<void> {
  const [scenario] = SEED_SCENARIOS;
  const request = scenario.request(customerId);
  request.recommendations = [{ ...request.recommendations[0], id: 'rec-bad', risk_level: 'extreme' }];
  console.log('\nA validation error: POST /coordination/coordinate with risk_level "extreme"');
  const { status, body } = await agent.call<{ error?: string; details?: { field: string; message: string }[] }>('POST', '/coordination/coordinate', request);
  console.log(`  ${status}: ${body.error}`);
  for (const detail of body.details ?? []) console.log(`    ${detail.field}: ${detail.message}`);
  const namesField = body.details?.some((d) => d.field.endsWith('risk_level'));
  check('validation', status === 400 && namesField ? [] : [`expected 400 naming risk_level, got ${status} ${JSON.stringify(body)}`]);
}

async function main(): Promise<void> {
  const { url, adminKey, stack } = await target();
  try {
    const customerId = `demo-${Date.now()}`;
    console.log(`Arbiter demo against ${url}${stack ? ' (a local stack started for this run)' : ''}, customer ${customerId}`);
    const agent = await registerAgent(arbiterClient(url, adminKey), 'demo-agent', customerId);
    console.log(`POST /admin/agents → 201: agent ${agent.agent_id} for ${agent.customer_id}, key ${agent.api_key.slice(0, 12)}…`);
    const client = arbiterClient(url, agent.api_key);
    for (const scenario of SEED_SCENARIOS) await playScenario(client, customerId, scenario);
    await showDiscarded(client);
    await showValidationError(client, customerId);
  } finally {
    await stack?.stop();
  }
  console.log(failures.length === 0 ? '\nAll as expected.' : `\n${failures.length} expectation(s) failed:\n  ${failures.join('\n  ')}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exitCode = 1;
});
