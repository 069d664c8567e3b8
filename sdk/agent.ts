// The agent kit (`arbiter/agent`): everything an agent needs to take Arbiter's steps.
//
//   const handler = createAgentHandler({ secret, execute: async (step) => ({ result: {...} }) });
//   http.createServer(handler).listen(8080);

export type { StepReport } from '../functions/core/protocol/agent-steps.js';
export {
  type AgentHandler,
  type AgentHandlerOptions,
  createAgentHandler,
  type StepContext,
  type StepFunction,
  type StepOutcome,
} from './agent-handler.js';
export { type CallbackOptions, type CallbackOutcome, postCallback } from './callback.js';
export {
  type HeadersLike,
  type RefusalReason,
  type Secrets,
  SIGNATURE_HEADER,
  type SignedCallback,
  type StepCallback,
  type StepRequest,
  type StepVerification,
  signCallback,
  TIMESTAMP_HEADER,
  verifyStepRequest,
} from './signing.js';
