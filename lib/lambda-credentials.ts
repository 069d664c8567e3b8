// Bundled into every Lambda in place of @aws-sdk/credential-provider-node (BUNDLING's alias, lib/function-defaults.ts).
// Lambda gives a function its execution role's credentials in the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the first link of the SDK's default chain, so on Lambda that chain always
// stops there. Its other links (SSO, profiles, credential processes, web identity) serve workstations and bring
// their own STS and SSO clients: ~100 KB of every bundle and of its cold start. A container credentials endpoint,
// should a runtime set one instead, is still honoured.
import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';
import {
  ENV_CMDS_FULL_URI,
  ENV_CMDS_RELATIVE_URI,
  fromContainerMetadata,
  type RemoteProviderInit,
} from '@smithy/credential-provider-imds';

const fromContainer = () => Boolean(process.env[ENV_CMDS_FULL_URI] || process.env[ENV_CMDS_RELATIVE_URI]);

/** The name and shape the SDK's clients import; without credentials, fromEnv's error names the variables. */
export const defaultProvider = (init: FromEnvInit & RemoteProviderInit = {}) =>
  !process.env.AWS_ACCESS_KEY_ID && fromContainer() ? fromContainerMetadata(init) : fromEnv(init);
