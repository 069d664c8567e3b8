// The stores of the functions that seal or open agents' signing secrets (admin, dispatch-step,
// executions): under KMS on AWS, the data directory's key locally (adapters/secret-cipher-for.ts).
import { secretCipherFor } from '../adapters/secret-cipher-for.js';
import { config, once } from './runtime.js';
import { tableStores } from './stores.js';

export const sealedStores = once(() => tableStores(secretCipherFor(config())));
