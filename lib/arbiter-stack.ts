// Arbiter on AWS: one table, two generated secrets, a KMS key for agents' signing secrets, one notification topic, one Lambda per API
// handler and per workflow task, the recommendation workflow, and one REST API; watched by alarms that publish
// to the ops topic, and one dashboard.
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV_NAMES } from '../functions/shared/env.js';
import type { TaskHandlerName } from '../functions/shared/routes.js';
import { ArbiterAlarms } from './alarms.js';
import { ArbiterApi } from './api.js';
import { ArbiterDashboard } from './dashboard.js';
import { ArbiterFunction, FUNCTION_NAMES, type FunctionName, TASK_NAMES } from './function-defaults.js';
import { NotificationTopic, type TopicAccess, useTopic } from './notifications.js';
import { OpsTopic } from './ops-topic.js';
import { AdminKey, LinkSecret, useAdminKey, useLinkSecret } from './secrets.js';
import { SecretsKey, type SecretsKeyAccess, useSecretsKey } from './secrets-key.js';
import { ArbiterTable, type TableAccess, useTable } from './table.js';
import { RecommendationWorkflow, useWorkflow, type WorkflowAccess } from './workflow.js';

interface FunctionAccess {
  table: TableAccess;
  /** Every function that accepts API keys must recognise the admin's; public ones get none. */
  adminKey?: true;
  /** Signs (request-approval) or verifies (review) the emailed review links. */
  linkSecret?: true;
  workflow?: WorkflowAccess[];
  topic?: TopicAccess[];
  /** Agents' signing secrets: sealed when registered or rotated, opened to sign steps and verify callbacks. */
  secretsKey?: SecretsKeyAccess[];
  /** PUBLIC_API_URL: the API's base URL, for links in messages and agents' callback URLs. */
  publicApiUrl?: true;
}

/** Least privilege, per function: the API's handlers and the workflow's tasks. */
const FUNCTION_ACCESS: Record<FunctionName, FunctionAccess> = {
  // Starts one execution per recommendation; superseding a pending one fails its approval task
  // (signal) or, past the approval, stops its execution.
  coordinate: { table: 'readWrite', adminKey: true, workflow: ['start', 'signal', 'stop'] },
  // Reads; and cancels: ends the workflow (signal, stop), cancels dependents, revives losers (start).
  recommendations: { table: 'readWrite', adminKey: true, workflow: ['signal', 'stop', 'start'] },
  // Subscribes each approver's email to the topic, filtered to the messages naming them.
  // Resuming a paused customer (the policy PUT) wakes its plans waiting in "Paused" (signal).
  admin: { table: 'readWrite', adminKey: true, topic: ['subscribe'], secretsKey: ['seal'], workflow: ['signal'] },
  // Public; reads one item, describes the state machine and the topic, nothing else.
  health: { table: 'probe', workflow: ['probe'], topic: ['probe'] },
  // A rejection cancels dependents (stops the workflows of those past approval) and revives losers (start).
  approvals: { table: 'readWrite', adminKey: true, workflow: ['signal', 'stop', 'start'] },
  // Public: the signed link is the credential, so no admin key.
  review: { table: 'readWrite', linkSecret: true, workflow: ['signal', 'stop', 'start'] },
  // POST .../plans/{id}/execute (API key) completes the "Wait for execution request" task; an agent's
  // callback (public route, verified with the agent's signing secret from the table) completes its step.
  executions: { table: 'readWrite', adminKey: true, workflow: ['signal'], secretsKey: ['open'] },
  // Stores the task token, then emails each approver a signed link to the review page; if the
  // approval was decided or cancelled before the token arrived, it sends the decision itself (signal).
  'request-approval': {
    table: 'readWrite',
    topic: ['publish'],
    linkSecret: true,
    publicApiUrl: true,
    workflow: ['signal'],
  },
  // Alerts operators (publish) when an execution ends failed, rolled_back or rollback_failed; wakes
  // the dependents waiting on the recommendation (signal).
  // An early end also cancels its not-started dependents (stop) and revives its losers (start).
  'record-outcome': { table: 'readWrite', topic: ['publish'], workflow: ['signal', 'stop', 'start'] },
  // An execution that ended without its own cleanup (stopped, timed out, failed uncaught): releases
  // its locks and records the plan failed, which alerts the operators (publish).
  'execution-ended': { table: 'readWrite', topic: ['publish'], workflow: ['signal', 'stop', 'start'] },
  // Every 5 minutes: finds in-flight recommendations (Scan), asks whether their execution runs
  // (describe), starts a repaired one (start) entered at the right state.
  // Ends idle approvals and wakes expired waiters (signal); an expiry it records cancels dependents (stop)
  // and goes through the same outcome recording as record-outcome, which may alert operators (publish).
  // The same Scan finds ended recommendations whose related items a crashed writer left without TTL (stamps them).
  reconciler: { table: 'readWrite', topic: ['publish'], workflow: ['start', 'describe', 'signal', 'stop'] },
  // Stores the task token; if execution was requested before the token arrived, it completes the task itself.
  'await-execution': { table: 'readWrite', workflow: ['signal'] },
  // "Wait for a dependency to end" stores its token with a waiter per dependency, and answers it
  // itself when the dependencies are already done (signal).
  'check-dependencies': { table: 'readWrite', workflow: ['signal'] },
  // Conditional writes and transactions on lock items; nothing outside the table.
  // "Release locks" wakes the plans waiting for the freed resources (signal).
  'resource-locks': { table: 'readWrite', workflow: ['signal'] },
  // Records step results; a step's outcome may open or close its agent's circuit, which alerts operators (publish).
  'record-step': { table: 'readWrite', topic: ['publish'] },
  // Stores the task token and POSTs the signed step to the agent (outbound HTTPS: the function runs
  // outside any VPC, so no NAT or endpoint is involved) with a callback URL on the API; an agent
  // answering 200 completes the task at once (signal).
  'dispatch-step': {
    table: 'readWrite',
    topic: ['publish'],
    publicApiUrl: true,
    workflow: ['signal'],
    secretsKey: ['open'],
  },
};

/** `request-approval` → `RequestApproval` (construct ids, hence logical ids). */
const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_, _dash, letter: string) => letter.toUpperCase());

export class ArbiterStack extends Stack {
  readonly table: ArbiterTable;
  readonly adminKey: AdminKey;
  readonly linkSecret: LinkSecret;
  readonly secretsKey: SecretsKey;
  readonly notifications: NotificationTopic;
  readonly functions: Record<FunctionName, NodejsFunction>;
  readonly workflow: RecommendationWorkflow;
  /** Where execution-ended events that could not be handled are kept. */
  readonly cleanupDeadLetters: Queue;
  readonly api: ArbiterApi;
  /** Where the alarms publish; operators subscribe to it. */
  readonly ops: OpsTopic;
  readonly alarms: ArbiterAlarms;
  readonly dashboard: ArbiterDashboard;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'Arbiter: coordinates optimization agents', ...props });
    // Not the dashboard: CloudFormation takes its Tags since 2026-06, but cfn-lint 1.51 (scripts/validate-aws.sh)
    // predates that and rejects them (E3002).
    Tags.of(this).add('service', 'arbiter', { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] });

    this.table = new ArbiterTable(this, 'Table');
    this.adminKey = new AdminKey(this, 'AdminKey');
    this.linkSecret = new LinkSecret(this, 'LinkSecret');
    this.secretsKey = new SecretsKey(this, 'SecretsKey');
    this.notifications = new NotificationTopic(this, 'Notifications');
    this.functions = Object.fromEntries(
      FUNCTION_NAMES.map((name) => [name, new ArbiterFunction(this, pascal(name), { handler: name }).lambda]),
    ) as Record<FunctionName, NodejsFunction>;
    const tasks = Object.fromEntries(TASK_NAMES.map((name) => [name, this.functions[name]])) as Record<
      TaskHandlerName,
      NodejsFunction
    >;
    this.workflow = new RecommendationWorkflow(this, 'Workflow', { tasks });
    this.cleanupDeadLetters = this.workflow.onEndedBadly(this.functions['execution-ended']).deadLetters;
    this.workflow.reconcileEvery5Minutes(this.functions.reconciler);
    this.api = new ArbiterApi(this, 'Api', { handlers: this.functions });
    for (const name of FUNCTION_NAMES) this.giveAccess(this.functions[name], FUNCTION_ACCESS[name]);
    // The reconciler alone reads across customers: no index spans them, so it scans (every 5 minutes).
    this.functions.reconciler.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [this.table.table.tableArn] }),
    );

    this.ops = new OpsTopic(this, 'Ops');
    this.alarms = new ArbiterAlarms(this, 'Alarms', {
      ops: this.ops,
      stateMachine: this.workflow.stateMachine,
      functions: this.functions,
      deadLetterQueues: { 'execution-ended': this.cleanupDeadLetters },
      apiStage: this.api.restApi.deploymentStage,
    });
    this.dashboard = new ArbiterDashboard(this, 'Dashboard', {
      alarms: this.alarms.alarms,
      apiStage: this.api.restApi.deploymentStage,
      stateMachine: this.workflow.stateMachine,
      table: this.table.table,
      functions: this.functions,
    });

    this.output('ApiUrl', this.api.url, 'Base URL of the API');
    this.output('TableName', this.table.table.tableName);
    this.output(
      'AdminKeySecretArn',
      this.adminKey.secret.secretArn,
      'Read the admin key with: aws secretsmanager get-secret-value --secret-id <this>',
    );
    this.output(
      'StateMachineArn',
      this.workflow.stateMachineArn,
      'The recommendation workflow: one execution per recommendation',
    );
    // A subscription without a filter policy would receive every approver's signed links.
    this.output(
      'TopicArn',
      this.notifications.topic.topicArn,
      'Approval requests and operator alerts; subscriptions must filter on message attributes',
    );
    this.output(
      'OpsTopicArn',
      this.ops.topic.topicArn,
      "The alarms' notifications (ALARM and back to OK): subscribe operators here, no filter needed",
    );
    this.output('DashboardName', this.dashboard.dashboard.dashboardName);
  }

  /** An output exported as `<stack name>-<id>` (Arbiter-dev-ApiUrl): stages in one account never collide. */
  private output(id: string, value: string, description?: string): void {
    new CfnOutput(this, id, { value, description, exportName: `${this.stackName}-${id}` });
  }

  private giveAccess(fn: NodejsFunction, access: FunctionAccess): void {
    useTable(fn, this.table, access.table);
    if (access.adminKey) useAdminKey(fn, this.adminKey);
    if (access.linkSecret) useLinkSecret(fn, this.linkSecret);
    if (access.workflow) useWorkflow(fn, this.workflow, access.workflow);
    if (access.topic) useTopic(fn, this.notifications, access.topic);
    if (access.secretsKey) useSecretsKey(fn, this.secretsKey, access.secretsKey);
    if (access.publicApiUrl) fn.addEnvironment(ENV_NAMES.publicApiUrl, this.api.url);
  }
}
