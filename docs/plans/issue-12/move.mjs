#!/usr/bin/env node
// Issue 12, deliverable 1: gives functions/core/ folders that show its shape.
// Run from the repository root on a clean work tree:  node move.mjs [--dry-run]
// 1. checks that every file of the map exists and that functions/core holds no file the map
//    does not name (it stops and lists them, so a human maps them first);
// 2. `git mv`s each file to its new place;
// 3. rewrites every relative import/export/import() specifier in functions/, lib/, local/, test/,
//    bench/, bin/ (ESM '.js' suffixes kept) so that each still names the same file.
// 4. then carries named top-level definitions out of files into others (SPLITS below), with a
//    TypeScript parser: each moved definition takes its leading comment along; the new file gets the
//    imports its text needs; every importer of a moved name (and every `export *` of the old file)
//    is pointed at the new one. A name SPLITS expects and does not find stops the run.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CORE = 'functions/core';
/** old path (under functions/core) -> new path (under functions/core, or '../' for out of the core) */
const MAP = {
  // model/: what Arbiter accepts, stores and refuses
  'schemas.ts': 'model/inputs.ts',
  'model.ts': 'model/records.ts',
  'errors.ts': 'model/errors.ts',
  'json-rules.ts': 'model/json-rules.ts',
  // ports/: every port in one place
  'ports.ts': 'ports/index.ts',
  'coordination-ports.ts': 'ports/coordination.ts',
  'access-ports.ts': 'ports/access.ts',
  'workflow.ts': 'ports/workflow.ts',
  'notifications.ts': 'ports/notifier.ts',
  'agents-port.ts': 'ports/agent-client.ts',
  'lock-waiters.ts': 'ports/lock-waiters.ts',
  // protocol/: what crosses the wire, and its signatures
  'agent-protocol.ts': 'protocol/agent-steps.ts',
  'links.ts': 'protocol/review-links.ts',
  // access/: who may act
  'access.ts': 'access/principals.ts',
  'submission-access.ts': 'access/submissions.ts',
  'keys.ts': 'access/api-keys.ts',
  // rules/: pure domain algorithms
  'conflicts.ts': 'rules/conflicts.ts',
  'conflict-bounds.ts': 'rules/conflict-bounds.ts',
  'resolution.ts': 'rules/resolution.ts',
  'ranking.ts': 'rules/ranking.ts',
  'actions.ts': 'rules/contradictory-actions.ts',
  'dependencies.ts': 'rules/dependency-graph.ts',
  'policy.ts': 'rules/policy.ts',
  'risk.ts': 'rules/risk.ts',
  'admission.ts': 'rules/admission.ts',
  'resubmission.ts': 'rules/resubmission.ts',
  'plans.ts': 'rules/plans.ts',
  'execution.ts': 'rules/plan-progress.ts',
  'expiry.ts': 'rules/expiry.ts',
  // messages/: text that people read
  'message-safety.ts': 'messages/message-safety.ts',
  'approval-facts.ts': 'messages/approval-facts.ts',
  // use-cases/: API actions and workflow tasks
  'coordinate.ts': 'use-cases/coordinate.ts',
  'revival.ts': 'use-cases/reconsider-losers.ts',
  'views.ts': 'use-cases/view-recommendation.ts',
  'agents.ts': 'use-cases/register-agent.ts',
  'approvers.ts': 'use-cases/register-approver.ts',
  'approval-gate.ts': 'use-cases/decide-approval.ts',
  'approval-list.ts': 'use-cases/list-approvals.ts',
  'approval-request.ts': 'use-cases/request-approval.ts',
  'execution-gate.ts': 'use-cases/plan-tasks.ts',
  'dependency-waiters.ts': 'use-cases/await-dependencies.ts',
  'step-runner.ts': 'use-cases/record-step.ts',
  'dependent-cancellation.ts': 'use-cases/cancel-dependents.ts',
  'page-bytes.ts': 'rules/page-bytes.ts',
  'outcomes.ts': 'use-cases/record-outcome.ts',
  'abandoned-executions.ts': 'use-cases/clean-up-ended-execution.ts',
  'reconciler.ts': 'use-cases/reconcile.ts',
  // out of the core: HTML is an adapter
  'review-page.ts': '../adapters/review-page.ts',
};
const ROOTS = ['functions', 'lib', 'local', 'test', 'bench', 'bin'];
const CODE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;
const dryRun = process.argv.includes('--dry-run');

function fail(message, items = []) {
  console.error(`move.mjs: ${message}`);
  for (const item of items) console.error(`  - ${item}`);
  process.exit(1);
}

if (!existsSync(CORE) || !existsSync('package.json')) fail(`run me from the repository root (no ${CORE} here)`);
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });
if (!dryRun && git('status', '--porcelain').trim() !== '') fail('the work tree is not clean: commit or stash first');

// ---- 1. the core as it is must be exactly the map's left side
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const present = walk(CORE).map((p) => relative(CORE, p).split('\\').join('/'));
const missing = Object.keys(MAP).filter((f) => !present.includes(f));
const unmapped = present.filter((f) => !(f in MAP));
if (missing.length || unmapped.length) {
  if (missing.length) console.error('move.mjs: files the map expects are missing (renamed or deleted since the map was made):', missing);
  if (unmapped.length) console.error('move.mjs: files in functions/core that the map does not place (add them to MAP):', unmapped);
  fail('the map does not fit this tree; nothing was changed');
}
const targets = Object.values(MAP).map((t) => posix.normalize(posix.join(CORE, t)));
const clash = targets.filter((t, i) => targets.indexOf(t) !== i || existsSync(t));
if (clash.length) fail('targets that exist already or are named twice:', clash);

// old repo path -> new repo path, for every moved file
const originOf = Object.fromEntries(Object.entries(MAP).map(([from, to]) => [to, from]));
const moves = new Map(Object.entries(MAP).map(([from, to]) => [posix.join(CORE, from), posix.normalize(posix.join(CORE, to))]));

// ---- 2. every file that may import a moved one
const files = git('ls-files', ...ROOTS).split('\n').filter((f) => CODE.test(f) && existsSync(f));

/** The file a relative specifier names, as a repo path ('.js' -> '.ts' where the .ts exists). */
function targetOf(fromFile, spec) {
  const base = posix.normalize(posix.join(posix.dirname(fromFile), spec));
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base, `${base}.ts`, `${base}/index.ts`]) {
    if (moves.has(candidate) || existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The specifier from `fromFile` (new place) to `target` (new place), in the style of `spec`. */
function specifierFor(fromFile, target, spec) {
  let rel = posix.relative(posix.dirname(fromFile), target);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  if (/\.js$/.test(spec) && /\.ts$/.test(target)) return rel.replace(/\.ts$/, '.js');
  if (/\.mjs$/.test(spec) && /\.mts$/.test(target)) return rel.replace(/\.mts$/, '.mjs');
  if (!/\.[a-z]+$/.test(spec)) return rel.replace(/(\/index)?\.ts$/, ''); // extensionless (vitest config, say)
  return rel;
}

// from '…', import '…', import('…'), export … from '…', vi.mock('…'), require('…')
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\b(?:vi|jest)\.(?:mock|doMock|importActual)\s*\(\s*|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

const rewritten = new Map();
const unresolved = [];
for (const file of files) {
  const newFile = moves.get(file) ?? file;
  const text = readFileSync(file, 'utf8');
  let changed = false;
  const out = text.replace(SPECIFIER, (whole, lead, quote, spec) => {
    const target = targetOf(file, spec);
    if (!target) {
      unresolved.push(`${file}: ${spec}`);
      return whole;
    }
    const newTarget = moves.get(target) ?? target;
    if (newTarget === target && newFile === file) return whole;
    const next = specifierFor(newFile, newTarget, spec);
    if (next === spec) return whole;
    changed = true;
    return `${lead}${quote}${next}${quote}`;
  });
  if (changed || newFile !== file) rewritten.set(file, out);
}
if (unresolved.length) console.error('move.mjs: note: relative specifiers that name no file (left as they are):', unresolved);

// Comments that name a core file by path ("functions/core/x.ts", "core/x.ts") get the new path; bare
// names ("(conflict-bounds.ts)") are listed for a human, since a bare name may mean another file.
const mentions = [];
const renamed = [...moves].filter(([from, to]) => posix.basename(from) !== posix.basename(to));
for (const file of files) {
  let text = rewritten.get(file) ?? readFileSync(file, 'utf8');
  const original = text;
  for (const [from, to] of moves) {
    const name = posix.basename(from);
    text = text.replace(new RegExp(`(functions/)?core/${name.replace('.', '\\.')}\\b`, 'g'), (m, fn) => `${fn ?? ''}${to.slice('functions/'.length)}`);
  }
  if (text !== original) rewritten.set(file, text);
  for (const [from] of renamed) {
    const name = posix.basename(from);
    if (new RegExp(`(^|[^/\\w-])${name.replace('.', '\\.')}\\b`).test(text.replace(/(['"])\.{1,2}\/[^'"]*\1/g, ''))) mentions.push(`${moves.get(file) ?? file}: ${name}`);
  }
}

// ---- splits: definitions that leave a file for another (paths under functions/core), applied in step 4
const C = (p) => posix.normalize(posix.join(CORE, p));
const SPLITS = [
  // records as stored belong with the records; the ports then only name operations
  ['ports/index.ts', 'model/records.ts', ['StoredPlan']],
  ['ports/coordination.ts', 'model/records.ts', ['StoredApproval']],
  // one port per file
  ['ports/index.ts', 'ports/clock.ts', ['Clock']],
  ['ports/index.ts', 'ports/ids.ts', ['IdGenerator']],
  ['ports/index.ts', 'ports/plans.ts', ['PlanStore']],
  ['ports/index.ts', 'ports/resource-locks.ts', ['LockResult', 'ResourceLocks']],
  ['access/api-keys.ts', 'ports/access.ts', ['IssuedKey', 'KeyOwner', 'OwnerKeys', 'KeyRotation', 'KeyStore']],
  ['use-cases/await-dependencies.ts', 'ports/dependency-waiters.ts', ['DependencyWaiter', 'DependencyWaiters']],
  ['use-cases/reconcile.ts', 'ports/reconcile.ts', ['ExecutionState', 'ReconcileStore']],
  // the errors the ASL matches by name, in one module (deliverable 3 adds the names themselves)
  ['ports/agent-client.ts', 'ports/workflow-contract.ts', ['StepFailed', 'StepTransientError']],
  ['use-cases/plan-tasks.ts', 'ports/workflow-contract.ts', ['ResourceBusy']],
  ['use-cases/record-step.ts', 'ports/workflow-contract.ts', ['NotRunnable']],
  // the workflow's input is built from the recommendation: next to WorkflowInput (opens the coordinate/revival circle)
  ['use-cases/coordinate.ts', 'ports/workflow.ts', ['APPROVAL_TIMEOUT_GRACE_SECONDS', 'workflowInput']],
  // the sets of ports two use cases need, beside those ports (the same six members; opens the decide/signal circle)
  ['use-cases/coordinate.ts', 'ports/coordination.ts', ['CoordinateDeps']],
  ['use-cases/decide-approval.ts', 'ports/coordination.ts', ['ApprovalGateDeps']],
  // who is calling is what the credential port returns: access/ builds on ports/, never the reverse
  ['access/principals.ts', 'ports/access.ts', ['Principal']],
  // the wire: step messages, their schemas, the callback URL
  ['ports/agent-client.ts', 'protocol/agent-steps.ts', ['JsonObject', 'StepReportSchema', 'StepCallbackSchema', 'StepCallback', 'StepRequestSchema', 'describeIssues']],
  ['use-cases/record-step.ts', 'protocol/agent-steps.ts', ['dispatchId', 'callbackUrl']],
  // named status groups, once
  ['model/inputs.ts', 'model/statuses.ts', ['RECOMMENDATION_STATUSES', 'RecommendationStatus', 'ACTIVE_STATUSES']],
  ['rules/expiry.ts', 'model/statuses.ts', ['BEFORE_RUN']],
  ['use-cases/reconcile.ts', 'model/statuses.ts', ['IN_FLIGHT']],
  // pure rules out of use cases
  ['ports/lock-waiters.ts', 'rules/resource-queues.ts', ['SLOT_QUEUE', 'waitingSince', 'queuesOf']],
  ['rules/plan-progress.ts', 'rules/public-view.ts', ['publicPlan']],
  ['use-cases/decide-approval.ts', 'rules/public-view.ts', ['INTERNAL_FIELDS', 'publicApproval']],
  // who may read is an access rule
  ['use-cases/view-recommendation.ts', 'access/principals.ts', ['readerCustomer']],
  // the approval email is text for people
  ['use-cases/request-approval.ts', 'messages/approval-email.ts', ['MAX_LISTED_RESOURCES', 'inline', 'resourceList', 'approvalMessage']],
  // one file per API action and per workflow task
  ['use-cases/decide-approval.ts', 'use-cases/signal-decision.ts', ['signalWorkflow']],
  ['use-cases/plan-tasks.ts', 'use-cases/request-execution.ts', ['requestExecution', 'signalExecution']],
  ['use-cases/plan-tasks.ts', 'use-cases/await-execution.ts', ['awaitExecution']],
  ['use-cases/plan-tasks.ts', 'use-cases/check-dependencies.ts', ['BLOCKING', 'DependencyState', 'MAX_DEPENDENCY_WAIT_MS', 'checkDependencies']],
  ['use-cases/plan-tasks.ts', 'use-cases/resource-locks.ts', ['showWaiting', 'resourceLocks']],
  ['ports/lock-waiters.ts', 'use-cases/resource-locks.ts', ['wakeWaiters']],
  ['use-cases/record-step.ts', 'use-cases/plan-tasks.ts', ['StepDeps', 'LockDeps']],
  ['use-cases/record-step.ts', 'use-cases/dispatch-step.ts', ['MAX_REPORT_BYTES', 'MAX_REQUEST_MS', 'REQUEST_SHARE', 'requestTimeoutMs', 'DispatchInput', 'dispatchStep', 'deliver']],
  ['use-cases/record-step.ts', 'use-cases/accept-callback.ts', ['acceptCallback']],
  ['use-cases/record-step.ts', 'use-cases/acquire-locks.ts', ['MAX_RESOURCE_WAIT_ROUND_SECONDS', 'acquireAndStart', 'waitCursor']],
  ['use-cases/record-step.ts', 'use-cases/await-resources.ts', ['awaitResources']],
  ['ports/lock-waiters.ts', 'use-cases/await-resources.ts', ['joinQueues']],
  ['use-cases/await-dependencies.ts', 'use-cases/signal-dependents.ts', ['signalDependents']],
  ['use-cases/record-outcome.ts', 'use-cases/release-and-record.ts', ['releaseAndRecord']],
  ['access/api-keys.ts', 'use-cases/rotate-key.ts', ['PREFIX', 'RotatedKey', 'rotateKey']],
  ['access/api-keys.ts', 'use-cases/revoke-key.ts', ['revokeKey']],
];
/** The opening comment of each file that a split creates. */
const SAYS = {
  'model/statuses.ts': 'A recommendation\'s statuses and their named groups: every list of statuses is written here once.',
  'ports/clock.ts': 'The Clock port: the core never calls new Date() itself.',
  'ports/ids.ts': 'The IdGenerator port: unique ids with a readable prefix.',
  'ports/plans.ts': 'The PlanStore port: execution plans, their steps and the workflow\'s bookkeeping of them.',
  'ports/resource-locks.ts': 'The ResourceLocks port: resource locks and execution slots, all or nothing.',
  'ports/dependency-waiters.ts': 'The DependencyWaiters port: who waits on which dependency, with which task token.',
  'ports/reconcile.ts': 'The ReconcileStore port: what the reconciler reads and claims.',
  'ports/workflow-contract.ts': 'The workflow contract: what statemachines/recommendation.asl.json refers to by name.',
  'rules/resource-queues.ts': 'The queues of plans waiting for resources: which queues a plan joins, and since when it waits.',
  'rules/public-view.ts': 'What the API shows of a stored approval or plan: never the workflow\'s task tokens and signal bookkeeping.',
  'messages/approval-email.ts': 'The approval request email: Arbiter\'s words and review link first, the agent\'s text quoted after.',
  'use-cases/signal-decision.ts': 'Tells the workflow waiting on an approval how it ended, exactly once.',
  'use-cases/request-execution.ts': 'POST /coordination/plans/{id}/execute: run an approved plan, once, before it expires.',
  'use-cases/await-execution.ts': 'The "Wait for execution request" task.',
  'use-cases/check-dependencies.ts': 'The "Check dependencies" task: ready, waiting, blocked or expired.',
  'use-cases/resource-locks.ts': 'The "Acquire resource locks" / "Release locks" tasks; releasing wakes who waits.',
  'use-cases/dispatch-step.ts': 'The "Run step" / "Roll back step" task: a signed request to the step\'s agent, and delivering its report.',
  'use-cases/accept-callback.ts': 'POST /coordination/steps/{id}/callback: an agent reports a step later; its signature is the credential.',
  'use-cases/acquire-locks.ts': 'The "Acquire resource locks" task with the start of the plan, or how long to wait.',
  'use-cases/await-resources.ts': 'The "Wait for resources" task: queue for the resources and a slot, then look once more.',
  'use-cases/signal-dependents.ts': 'A recommendation reached a terminal state: wake its waiting dependents.',
  'use-cases/release-and-record.ts': 'The "Release locks and record completion" task.',
  'use-cases/rotate-key.ts': 'POST …/keys/rotate: a new key (and signing secret); the old ones work for a grace period.',
  'use-cases/revoke-key.ts': 'DELETE …/keys/{key_id}: one key stops working at once.',
};

// Every definition SPLITS carries must be where it expects it, before anything moves.
{
  const stale = [];
  const arriving = new Set();
  for (const [fromRel, toRel, names] of SPLITS) {
    const origin = originOf[fromRel];
    const text = origin ? readFileSync(posix.join(CORE, origin), 'utf8') : '';
    for (const name of names) {
      const declaredHere = new RegExp(`^(export\\s+)?(declare\\s+)?(async\\s+)?(function\\*?|const|let|var|class|abstract\\s+class|interface|type|enum)\\s+${name}\\b`, 'm').test(text);
      if (!declaredHere && !arriving.has(`${fromRel}:${name}`)) stale.push(`${fromRel} (today ${origin ? `functions/core/${origin}` : 'no such file'}): ${name}`);
    }
    for (const name of names) arriving.add(`${toRel}:${name}`);
  }
  if (stale.length) fail('definitions the splits expect are not where they were (renamed or moved since the map was made); nothing was changed:', stale);
}

if (dryRun) {
  for (const [from, to] of moves) console.log(`git mv ${from} ${to}`);
  console.log(`${rewritten.size} files would get new import paths`);
  process.exit(0);
}

// ---- 3. move, then write the rewritten text at each file's new place
for (const [from, to] of moves) {
  mkdirSync(dirname(to), { recursive: true });
  git('mv', from, to);
}
for (const [file, text] of rewritten) writeFileSync(moves.get(file) ?? file, text);

// ---- 4. the splits

// TypeScript 7's package has no JavaScript compiler API; rolldown's parser (oxc, through vitest) reads TS.
const require = createRequire(resolve('package.json'));
let parseAst;
try {
  ({ parseAst } = await import(pathToFileURL(require.resolve('rolldown/parseAst')).href));
} catch (error) {
  fail(`the splits need a TypeScript parser: rolldown/parseAst (installed with vitest) did not load: ${error.message}`);
}
const codeFiles = () => git('ls-files', '--cached', '--others', '--exclude-standard', ...ROOTS).split('\n').filter((f) => CODE.test(f) && existsSync(f));
const parse = (file, text) => {
  try {
    return parseAst(text, { lang: 'ts' });
  } catch (error) {
    fail(`${file} does not parse: ${error.message}`);
  }
};
const inner = (stmt) => (stmt.type === 'ExportNamedDeclaration' && stmt.declaration ? stmt.declaration : stmt);
const declared = (stmt) => {
  const d = inner(stmt);
  if (d.type === 'VariableDeclaration') return d.declarations.map((v) => (v.id.type === 'Identifier' ? v.id.name : undefined)).filter(Boolean);
  if (['FunctionDeclaration', 'TSDeclareFunction', 'ClassDeclaration', 'TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSEnumDeclaration'].includes(d.type) && d.id) return [d.id.name];
  return [];
};
const isTypeOnly = (stmt) => ['TSInterfaceDeclaration', 'TSTypeAliasDeclaration'].includes(inner(stmt).type);
const isExported = (stmt) => stmt.type === 'ExportNamedDeclaration';
const isImport = (stmt) => stmt.type === 'ImportDeclaration';
/** Names the code refers to (property, member and key names left out). */
function usedNames(nodes) {
  const names = new Set();
  const visit = (node, parent, key) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, parent, key));
    if (node.type === 'Identifier') {
      const member =
        (parent?.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
        (parent?.type === 'TSQualifiedName' && key === 'right') ||
        (['Property', 'PropertyDefinition', 'MethodDefinition', 'TSPropertySignature', 'TSMethodSignature', 'TSEnumMember', 'AccessorProperty'].includes(parent?.type) && (key === 'key' || key === 'id') && !parent.computed && !parent.shorthand);
      if (!member) names.add(node.name);
    }
    for (const [k, v] of Object.entries(node)) if (v && typeof v === 'object' && k !== 'parent') visit(v, node, k);
  };
  nodes.forEach((n) => visit(n));
  return names;
}
const resolveSpec = (fromFile, spec) => {
  const base = posix.normalize(posix.join(posix.dirname(fromFile), spec));
  return [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, `${base}/index.ts`].find((c) => existsSync(c) && statSync(c).isFile());
};
const specTo = (fromFile, target) => {
  const rel = posix.relative(posix.dirname(fromFile), target).replace(/\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
};
const applyEdits = (text, edits) => {
  for (const [pos, del, ins] of [...edits].sort((x, y) => y[0] - x[0] || y[1] - x[1])) text = text.slice(0, pos) + ins + text.slice(pos + del);
  return text;
};
/** Where a statement's text begins: right after the line of the statement before it (so its comments come along). */
function chunkStart(text, ast, stmt) {
  const i = ast.body.indexOf(stmt);
  if (i <= 0) {
    // the first statement: its JSDoc comes along, the file's opening // comment stays
    const gap = text.slice(0, stmt.start);
    const doc = gap.lastIndexOf('/**');
    return doc >= 0 && gap.slice(doc).includes('*/') && !/\n\s*\n/.test(gap.slice(doc)) ? doc : stmt.start;
  }
  const prevEnd = ast.body[i - 1].end;
  const nl = text.indexOf('\n', prevEnd);
  return nl >= 0 && nl < stmt.start ? nl + 1 : prevEnd;
}
const chunkEnd = (text, stmt) => (text[stmt.end] === '\n' ? stmt.end + 1 : stmt.end);
/** Where new import lines go: after the last import at the top, else after the opening comment. */
function importPoint(text, ast) {
  const imports = ast.body.filter(isImport);
  if (imports.length) return chunkEnd(text, imports.at(-1));
  const first = ast.body[0];
  if (!first) return text.length;
  const start = chunkStart(text, ast, first);
  return start;
}
const importLine = (names, spec, typeOf) => {
  const parts = [...names].sort().map((n) => (typeOf(n) ? `type ${n}` : n));
  return parts.length ? `import { ${parts.join(', ')} } from '${spec}';\n` : '';
};
const specifierText = (text, sp) => text.slice(sp.start, sp.end);

const created = [];
const splitProblems = [];
function split(fromRel, toRel, names) {
  const from = C(fromRel);
  const to = C(toRel);
  if (!existsSync(from)) return splitProblems.push(`${fromRel}: missing (for ${names.join(', ')})`);
  const text = readFileSync(from, 'utf8');
  const ast = parse(from, text);
  const chosen = ast.body.filter((s) => declared(s).some((n) => names.includes(n)));
  const found = new Set(chosen.flatMap(declared));
  const absent = names.filter((n) => !found.has(n));
  const extra = [...found].filter((n) => !names.includes(n));
  if (absent.length || extra.length) return splitProblems.push(`${fromRel} -> ${toRel}: ${absent.length ? `not found: ${absent.join(', ')}` : ''}${extra.length ? ` declared together with: ${extra.join(', ')}` : ''}`);
  // a name is type-only when no value of that name is declared with it (zod's `const X` + `type X` is a value)
  const onlyTypes = (stmts) => {
    const value = new Set(stmts.filter((s) => !isTypeOnly(s)).flatMap(declared));
    return new Set(stmts.filter(isTypeOnly).flatMap(declared).filter((n) => !value.has(n)));
  };
  const typeNames = onlyTypes(chosen);
  const rest = ast.body.filter((s) => !chosen.includes(s) && !isImport(s));
  const restDecl = new Map(rest.flatMap((s) => declared(s).map((n) => [n, s])));
  const restTypes = onlyTypes(rest);
  const usedByMoved = usedNames(chosen);
  const usedByRest = usedNames(rest);
  // the moved text, each statement with its comments; `export` added where the old file still needs it
  const pieces = chosen.map((s) => {
    const start = chunkStart(text, ast, s);
    let piece = text.slice(start, chunkEnd(text, s));
    if (!isExported(s) && declared(s).some((n) => usedByRest.has(n))) piece = `${piece.slice(0, s.start - start)}export ${piece.slice(s.start - start)}`;
    return piece.replace(/^(\s*\n)+/, '');
  });
  // imports the moved text needs: those of the old file, and the old file's own definitions
  const needs = new Map(); // target path or pkg:name -> Map(name -> typeOnly)
  const need = (target, name, typeOnly) => {
    if (target === to) return;
    if (!needs.has(target)) needs.set(target, new Map());
    const m = needs.get(target);
    m.set(name, m.has(name) ? m.get(name) && typeOnly : typeOnly);
  };
  for (const imp of ast.body.filter(isImport)) {
    const spec = imp.source.value;
    const target = spec.startsWith('.') ? resolveSpec(from, spec) : undefined;
    for (const sp of imp.specifiers) {
      if (!usedByMoved.has(sp.local.name)) continue;
      if (sp.type !== 'ImportSpecifier' || sp.imported.name !== sp.local.name) {
        splitProblems.push(`${fromRel}: import ${specifierText(text, sp)} from '${spec}' is used by moved text: add it to ${toRel} by hand`);
        continue;
      }
      const typeOnly = imp.importKind === 'type' || sp.importKind === 'type';
      need(target ?? `pkg:${spec}`, sp.local.name, typeOnly);
    }
  }
  const sourceEdits = [];
  for (const s of rest) {
    for (const n of declared(s)) {
      if (!usedByMoved.has(n)) continue;
      need(from, n, restTypes.has(n));
      if (!isExported(s) && !sourceEdits.some((e) => e[0] === s.start)) sourceEdits.push([s.start, 0, 'export ']);
    }
  }
  // the old file: moved statements out; what it still uses of them imported from the new place
  for (const s of chosen) {
    const start = chunkStart(text, ast, s);
    sourceEdits.push([start, chunkEnd(text, s) - start, '']);
  }
  const backNames = [...found].filter((n) => usedByRest.has(n));
  // imports the old file no longer uses
  for (const imp of ast.body.filter(isImport)) {
    if (!imp.specifiers.length || imp.specifiers.some((sp) => sp.type !== 'ImportSpecifier')) continue;
    const keep = imp.specifiers.filter((sp) => usedByRest.has(sp.local.name));
    if (keep.length === imp.specifiers.length) continue;
    const line = keep.length ? `import ${imp.importKind === 'type' ? 'type ' : ''}{ ${keep.map((sp) => specifierText(text, sp)).join(', ')} } from '${imp.source.value}';` : '';
    sourceEdits.push([imp.start, chunkEnd(text, imp) - imp.start, line ? `${line}\n` : '']);
  }
  if (backNames.length) sourceEdits.push([importPoint(text, ast), 0, importLine(backNames, specTo(from, to), (n) => typeNames.has(n))]);
  writeFileSync(from, applyEdits(text, sourceEdits).replace(/\n{3,}/g, '\n\n'));

  // the new place: its imports, then the moved text
  const isNew = !existsSync(to);
  let targetText = isNew ? `// ${SAYS[toRel] ?? `Carried out of ${fromRel}.`}\n` : readFileSync(to, 'utf8');
  const tast = parse(to, targetText);
  const alreadyThere = new Set([
    ...tast.body.filter(isImport).flatMap((s) => s.specifiers.map((sp) => sp.local.name)),
    ...tast.body.flatMap(declared),
  ]);
  let lines = '';
  for (const [target, m] of needs) {
    const spec = target.startsWith('pkg:') ? target.slice(4) : specTo(to, target);
    lines += importLine([...m.keys()].filter((n) => !alreadyThere.has(n)), spec, (n) => m.get(n));
  }
  if (isNew) targetText += `${lines}\n${pieces.join('\n')}`;
  else {
    const at = importPoint(targetText, tast);
    targetText = `${targetText.slice(0, at)}${lines}${targetText.slice(at).trimEnd()}\n\n${pieces.join('\n')}`;
  }
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, `${targetText.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
  if (isNew) created.push(to);

  // everyone else: imports of moved names now come from the new place, also those taken through a barrel
  // (a file that has `export * from` the old one); a barrel in the new file's folder re-exports it too
  const all = codeFiles();
  const barrels = all.filter((f) => f !== from && parse(f, readFileSync(f, 'utf8')).body.some((st) => st.type === 'ExportAllDeclaration' && !st.exported && st.source.value.startsWith('.') && resolveSpec(f, st.source.value) === from));
  const aliases = new Set([from, ...barrels]);
  const words = [...aliases].map((a) => posix.basename(a, '.ts') === 'index' ? posix.basename(posix.dirname(a)) : posix.basename(a, '.ts'));
  for (const file of all) {
    if (file === from) continue;
    const ftext = readFileSync(file, 'utf8');
    if (!words.some((w) => ftext.includes(w))) continue;
    const fast = parse(file, ftext);
    const edits = [];
    for (const st of fast.body) {
      if (!['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration'].includes(st.type) || !st.source || !st.source.value.startsWith('.')) continue;
      const resolved = resolveSpec(file, st.source.value);
      if (!aliases.has(resolved)) continue;
      if (st.type === 'ExportAllDeclaration') {
        if (resolved === from && file !== to && posix.dirname(file) === posix.dirname(to) && !ftext.includes(`'${specTo(file, to)}'`)) edits.push([st.end, 0, `\nexport * from '${specTo(file, to)}';`]);
        continue;
      }
      const nameOf = (sp) => (st.type === 'ImportDeclaration' ? (sp.type === 'ImportSpecifier' ? sp.imported.name : undefined) : sp.local.name);
      if (st.type === 'ImportDeclaration' && st.specifiers.some((sp) => sp.type === 'ImportNamespaceSpecifier')) {
        splitProblems.push(`${file}: namespace import of ${fromRel}: check its uses of ${names.join(', ')}`);
        continue;
      }
      const moving = st.specifiers.filter((sp) => found.has(nameOf(sp)));
      if (!moving.length) continue;
      const staying = st.specifiers.filter((sp) => !moving.includes(sp));
      const kw = st.type === 'ImportDeclaration' ? 'import' : 'export';
      const whole = (st.importKind ?? st.exportKind) === 'type' ? 'type ' : '';
      const def = staying.find((sp) => sp.type === 'ImportDefaultSpecifier');
      const named = (els) => els.filter((sp) => sp.type !== 'ImportDefaultSpecifier');
      const render = (els, spec, withDefault) => `${kw} ${whole}${withDefault && def ? `${def.local.name}${named(els).length ? ', ' : ''}` : ''}${named(els).length ? `{ ${named(els).map((sp) => specifierText(ftext, sp)).join(', ')} }` : ''} from '${spec}';`;
      const out = [];
      if (staying.length) out.push(render(staying, st.source.value, true));
      if (file !== to) out.push(render(moving, specTo(file, to), false));
      edits.push([st.start, (out.length ? st.end : chunkEnd(ftext, st)) - st.start, out.join('\n')]);
    }
    // `const { A, B } = await import('…')` in tests
    for (const m of ftext.matchAll(/\{([^{}]*)\}\s*=\s*await\s+import\(\s*(['"])(\.[^'"]+)\2\s*\)/g)) {
      if (!aliases.has(resolveSpec(file, m[3]))) continue;
      const taken = m[1].split(',').map((x) => x.trim().split(/\s*:\s*/)[0]).filter(Boolean);
      const moving = taken.filter((n) => found.has(n));
      if (!moving.length) continue;
      if (moving.length !== taken.length) {
        splitProblems.push(`${file}: await import('${m[3]}') takes ${moving.join(', ')} (now in ${toRel}) with other names: split it by hand`);
        continue;
      }
      const at = m.index + m[0].indexOf(m[3]);
      edits.push([at, m[3].length, specTo(file, to)]);
    }
    if (edits.length) writeFileSync(file, applyEdits(ftext, edits));
  }
}

/** New opening comments for files whose part changed with the splits. */
const HEADERS = {
  'ports/index.ts': 'Every port of the core: what it needs from the outside world, one concern a file in this folder,\nall re-exported here. Adapters implement them on DynamoDB and AWS; tests pass in-memory or local ones.',
  'ports/agent-client.ts': 'The AgentClient port: how the core dispatches a plan step to an agent (functions/adapters/agent-client.ts\ndoes it over HTTP). What crosses the wire is in protocol/agent-steps.ts; the errors in workflow-contract.ts.',
  'use-cases/plan-tasks.ts': "What the plan's workflow tasks share: the ports each needs (GateDeps, StepDeps, LockDeps) and\nloading a recommendation with its plan.",
  'use-cases/record-step.ts': 'The "Run steps", "Step completed|failed" and "Roll back ..." bookkeeping task: record what a step\ndid, then say where the run goes next. Every report lands once: the step\'s task token is claimed before use.',
  'use-cases/decide-approval.ts': "Deciding an approval: people's decisions on risky recommendations. Any rejection vetoes; approvals\ncount once per approver until the quorum is reached; a decision lands exactly once, however many\narrive at the same time; after the expiry or once closed, decisions are refused, never ignored.",
  'ports/coordination.ts': 'Ports of the coordination side: recommendations, policies and approvals, and the set of them that\ncoordinating and deciding an approval use (CoordinateDeps, ApprovalGateDeps).',
  'access/api-keys.ts': 'API keys of agents and approvers: shown once, stored as their hash, each with a public key_id to\nrevoke it by. Rotating and revoking are use cases (use-cases/rotate-key.ts, use-cases/revoke-key.ts).',
  'use-cases/record-outcome.ts': 'The workflow\'s "Record ..." states: make the stored state say how the recommendation ended. Each is\nidempotent: if a decision endpoint already recorded it, nothing changes.',
};

/** One import declaration per module in each file the splits touched ("import type" when all are types). */
function mergeImports(file) {
  const text = readFileSync(file, 'utf8');
  const ast = parse(file, text);
  const groups = new Map();
  for (const st of ast.body.filter(isImport)) {
    if (!st.specifiers.length || st.specifiers.some((sp) => sp.type !== 'ImportSpecifier')) continue;
    if (!groups.has(st.source.value)) groups.set(st.source.value, []);
    groups.get(st.source.value).push(st);
  }
  const edits = [];
  for (const [spec, decls] of groups) {
    const specs = decls.flatMap((d) => d.specifiers.map((sp) => ({ text: specifierText(text, sp).replace(/^type\s+/, ''), type: d.importKind === 'type' || sp.importKind === 'type' })));
    const seen = new Map();
    for (const sp of specs) seen.set(sp.text, (seen.get(sp.text) ?? true) && sp.type);
    const allTypes = [...seen.values()].every(Boolean);
    const sorted = [...seen].sort(([a], [b]) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    const line = `import ${allTypes ? 'type ' : ''}{ ${sorted.map(([t, type]) => (type && !allTypes ? `type ${t}` : t)).join(', ')} } from '${spec}';`;
    if (decls.length === 1) continue;
    edits.push([decls[0].start, decls[0].end - decls[0].start, line]);
    for (const d of decls.slice(1)) edits.push([d.start, chunkEnd(text, d) - d.start, '']);
  }
  if (edits.length) writeFileSync(file, applyEdits(text, edits));
}

const beforeSplits = new Set(codeFiles());
const touched = new Set();
const snapshot = () => new Map(codeFiles().map((f) => [f, readFileSync(f, 'utf8')]));
let before = snapshot();
for (const [from, to, names] of SPLITS) {
  split(from, to, names);
  const after = snapshot();
  for (const [f, t] of after) if (before.get(f) !== t) touched.add(f);
  before = after;
}
for (const [rel, header] of Object.entries(HEADERS)) {
  const file = C(rel);
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  const opening = text.match(/^(\/\/[^\n]*\n)+/);
  writeFileSync(file, `${header.split('\n').map((l) => `// ${l}`).join('\n')}\n${opening ? text.slice(opening[0].length) : text}`);
}
for (const file of touched) if (existsSync(file)) mergeImports(file);
// ports/index.ts: every port file, re-exported in one place
const portsIndex = C('ports/index.ts');
if (existsSync(portsIndex)) {
  let index = readFileSync(portsIndex, 'utf8');
  for (const name of readdirSync(C('ports')).filter((n) => n.endsWith('.ts') && n !== 'index.ts').sort()) {
    const line = `export * from './${name.replace(/\.ts$/, '.js')}';`;
    if (!index.includes(line)) index = `${index.trimEnd()}\n${line}\n`;
  }
  writeFileSync(portsIndex, index);
}
git('add', '--', ...created.filter((f) => !beforeSplits.has(f)), CORE);
if (splitProblems.length) console.error('move.mjs: splits that need a human:\n  ' + splitProblems.join('\n  '));

// ---- 5. prove it: every relative specifier now names an existing file
const broken = [];
for (const file of codeFiles()) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(SPECIFIER)) {
    if (!resolveSpec(file, m[3]) && !existsSync(posix.normalize(posix.join(posix.dirname(file), m[3])))) broken.push(`${file}: ${m[3]}`);
  }
}
console.log(`moved ${moves.size} files; rewrote imports in ${rewritten.size} files; ${SPLITS.length - splitProblems.length} of ${SPLITS.length} splits clean; ${created.length} files created`);
if (mentions.length) console.log('comments naming a moved file by its old bare name (read and update by hand):\n  ' + mentions.join('\n  '));
if (broken.length) fail('after the move these specifiers name no file:', broken);
if (splitProblems.length) process.exit(2);
console.log('next: npx tsc --noEmit -p . && npx vitest run test/unit');
