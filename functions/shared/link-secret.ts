// The HMAC key of emailed review links: Secrets Manager on AWS, given directly locally.
import { secretValue } from '../adapters/secret-value.js';
import { config, once } from './runtime.js';

const source = once(() => {
  const secret = secretValue({ secretArn: config().LINK_SECRET_ARN, value: config().ARBITER_LINK_SECRET });
  if (!secret) throw new Error('this function is not configured with LINK_SECRET_ARN');
  return secret;
});

export const linkSecret = () => source()();
