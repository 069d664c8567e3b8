// One structured JSON logger per Lambda. Requests append customer and recommendation ids.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'arbiter' });
