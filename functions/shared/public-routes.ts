// For a Lambda whose routes are all public (health, the review link): it takes no API key, so it
// needs neither the key lookup nor Secrets Manager. httpApi never calls this for a public route.
import { Unauthenticated } from '../core/model/errors.js';
import type { Authenticate } from './http.js';

export const noApiKeys = (): Authenticate => async () => {
  throw new Unauthenticated('this function serves public routes only');
};
