// The node flags every Lambda starts with (their NODE_OPTIONS), apart from lib/function-defaults.ts so that the
// benchmarks can run the engine with them without loading the CDK.
/**
 * How every Lambda's node starts:
 * - `--enable-source-maps`: stack traces name file:line (the maps are read when a bundle loads: part of the cold start);
 * - `--max-semi-space-size=32` (MB): V8 sizes its young generation from the heap limit, which shrinks with the
 *   function's memory, and a coordination of 10,000 recommendations allocates ~12 MB of short-lived records. With
 *   room for them, a run is not interrupted by scavenges that copy its live conflicts (BENCHMARKS.md, the engine).
 */
export const NODE_OPTIONS = '--enable-source-maps --max-semi-space-size=32';
