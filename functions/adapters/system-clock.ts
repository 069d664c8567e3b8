// The Clock port on the machine's time: the one place an adapter reads it. Stores stamp times with
// the clock they are given (adapters/stores.ts); this is the default for those built on their own.
import type { Clock } from '../core/ports/clock.js';

export const systemClock: Clock = { now: () => new Date() };
