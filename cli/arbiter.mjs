#!/usr/bin/env node
// The `arbiter` bin: registers tsx (the package runs its TypeScript through it) and runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./arbiter.ts');
