// `npm start`: the local stack in the foreground until Ctrl-C.
import { installLocalLog } from './local-log.js';
import { startLocalStack } from './stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// One readable line per request and per workflow task; LOG_FORMAT=json for the functions' JSON as on AWS.
installLocalLog();

const stack = await startLocalStack().catch((error: Error) => {
  console.error(`could not start the local stack: ${error.message}`);
  process.exit(1);
});

console.log(`
Arbiter local stack
  API        ${stack.url}
  health     ${stack.url}/health
  OpenAPI    ${stack.url}/openapi.json
  outbox     ${stack.outboxUrl}  (approval emails and operator alerts; ?approver=<email>)
  console    ${stack.consoleUrl}  (executions, recommendations, approvals)
  agents     ${stack.agents.url} (simulated, for agents without endpoint_url; requests at ${stack.url}/local/agents)
  workflow   ${stack.stepFunctions.endpoint} (Step Functions API, state machine ${stack.stepFunctions.stateMachineArn})
  DynamoDB   ${stack.dynamoEndpoint} (table ${stack.tableName}${process.env.ARBITER_DATA_DIR ? `, data in ${process.env.ARBITER_DATA_DIR}` : ', in memory'})
  admin key  ${stack.adminKey}
  log        one line per request and workflow task (LOG_FORMAT=json: the functions' JSON, as in CloudWatch)

  curl -s -X POST ${stack.url}/admin/agents -H "Authorization: Bearer ${stack.adminKey}" -H 'Content-Type: application/json' -d '{"agent_id":"cost-agent-1","customer_id":"customer-1"}'

Ctrl-C to stop.
`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return; // a second Ctrl-C while java is exiting changes nothing
  stopping = true;
  console.log(`\n${signal}: stopping the local stack…`);
  try {
    await stack.stop();
    process.exit(0);
  } catch (error) {
    console.error('could not stop cleanly:', error);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
