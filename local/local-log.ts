// The local stack's log (issue 9 §4): one line per request and per workflow task, each labelled with
// the function that ran it — `coordinate  POST /coordination/coordinate 200  42 ms` — instead of the
// handlers' JSON. LOG_FORMAT=json keeps the JSON: Powertools' lines and EMF documents exactly as
// Lambda writes them to CloudWatch, and each request or task line as a JSON object too. Nothing here
// changes what the functions do on AWS: it only reads what they print.
//
// Readable: what a function logs at INFO while it runs is folded into its line (`· coordinated`),
// EMF documents into the metric names they carry; WARN and ERROR get a line of their own, with the
// fields, secrets redacted. Only `npm start` and the demo install the reformatting (installLocalLog);
// elsewhere (tests) the functions' output is left alone.
import { AsyncLocalStorage } from 'node:async_hooks';
import { redactFields } from './log-redaction.js';

export type LogFormat = 'readable' | 'json';

export function logFormatFrom(value: string | undefined): LogFormat {
  return value?.trim().toLowerCase() === 'json' ? 'json' : 'readable';
}

/** A function running for a request or a task; what it logs meanwhile is told apart by `fn`. */
export interface Invocation {
  fn: string;
  notes: string[];
}

const invocations = new AsyncLocalStorage<Invocation>();
let format: LogFormat = logFormatFrom(process.env.LOG_FORMAT);

/** Runs `run` as one invocation of `fn` (arbiter-coordinate → coordinate). */
export function asFunction<T>(functionName: string, run: (invocation: Invocation) => T): T {
  const invocation: Invocation = { fn: functionName.replace(/^arbiter-/, ''), notes: [] };
  return invocations.run(invocation, () => run(invocation));
}

const LABEL_WIDTH = 18;
const labelled = (fn: string, text: string) => `${fn.padEnd(LABEL_WIDTH)} ${text}`;

/** The one line of a request or task: what it was, how it ended, how long it took. */
export function invocationLine(invocation: Invocation, what: string, ms: number, outcome?: string): string {
  if (format === 'json')
    return JSON.stringify({
      level: 'INFO',
      function: invocation.fn,
      message: what,
      ...(outcome === undefined ? {} : { outcome }),
      duration_ms: ms,
      timestamp: new Date().toISOString(),
    });
  const notes = summarize(invocation.notes);
  return labelled(invocation.fn, `${what}${outcome === undefined ? '' : ` ${outcome}`}  ${ms} ms${notes}`);
}

/** The messages, then every metric written once (the EMF documents of one invocation repeat names). */
function summarize(notes: readonly string[]): string {
  const messages = notes.filter((note) => !isMetricsNote(note));
  const metrics = new Set(notes.filter(isMetricsNote).flatMap((note) => note.slice(METRICS_NOTE.length).split(', ')));
  const parts = [...messages, ...(metrics.size > 0 ? [`${METRICS_NOTE}${[...metrics].join(', ')}`] : [])];
  return parts.length > 0 ? `  · ${parts.join(' · ')}` : '';
}

export function logInvocation(invocation: Invocation, what: string, ms: number, outcome?: string): void {
  console.log(invocationLine(invocation, what, ms, outcome));
}

const METRICS_NOTE = 'metrics: ';
/** What functions/shared/task.ts logs after every task. */
const TASK_DONE = 'task done';

/** A note that only lists the metrics an invocation wrote. */
export const isMetricsNote = (note: string) => note.startsWith(METRICS_NOTE);

/** Powertools' own fields, already said by the line's label and level. */
const POWERTOOLS_FIELDS = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id']);
const MAX_FIELD_CHARS = 200;

function isPowertoolsItem(item: Record<string, unknown>): boolean {
  return typeof item.level === 'string' && typeof item.message === 'string' && 'timestamp' in item;
}

/** EMF: `_aws.CloudWatchMetrics[].Metrics[].Name`, with the values at the top level. */
function emfMetrics(item: Record<string, unknown>): string[] | undefined {
  const aws = item._aws as { CloudWatchMetrics?: { Metrics?: { Name?: unknown }[] }[] } | undefined;
  if (!aws?.CloudWatchMetrics) return undefined;
  return aws.CloudWatchMetrics.flatMap((set) => set.Metrics ?? []).map((metric) => String(metric.Name));
}

function fieldsOf(item: Record<string, unknown>): string {
  const fields = Object.entries(redactFields(item) as Record<string, unknown>)
    .filter(([name]) => !POWERTOOLS_FIELDS.has(name))
    .map(([name, value]) => {
      const shown = typeof value === 'string' ? value : JSON.stringify(value);
      return `${name}=${shown.length > MAX_FIELD_CHARS ? `${shown.slice(0, MAX_FIELD_CHARS)}…` : shown}`;
    });
  return fields.length > 0 ? `  ${fields.join(' ')}` : '';
}

/**
 * What a line a function printed becomes in the readable log: folded into its invocation's line
 * (a note), a line of its own, or left as it is (not JSON from Powertools).
 */
export function readable(
  line: string,
  invocation: Invocation | undefined,
): { kind: 'note'; note?: string } | { kind: 'line'; line: string } | { kind: 'as_is' } {
  if (!line.startsWith('{')) return { kind: 'as_is' };
  let item: Record<string, unknown>;
  try {
    item = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { kind: 'as_is' };
  }
  const fn = invocation?.fn ?? 'arbiter';
  const metrics = emfMetrics(item);
  if (metrics) {
    const note = `${METRICS_NOTE}${metrics.join(', ')}`;
    return invocation ? { kind: 'note', note } : { kind: 'line', line: labelled(fn, note) };
  }
  if (!isPowertoolsItem(item)) return { kind: 'as_is' };
  const level = String(item.level).toUpperCase();
  if (invocation && (level === 'INFO' || level === 'DEBUG')) {
    // A task's line already says it ended.
    const message = String(item.message);
    return message === TASK_DONE ? { kind: 'note' } : { kind: 'note', note: message };
  }
  return { kind: 'line', line: labelled(fn, `${level} ${item.message}${fieldsOf(item)}`) };
}

type Write = NodeJS.WriteStream['write'];

/**
 * Makes the process's log the local one: sets the format and, when readable, rewrites what the
 * functions print to stdout and stderr (Powertools writes one whole JSON line per call). Returns the undo.
 */
export function installLocalLog(
  chosen: LogFormat = logFormatFrom(process.env.LOG_FORMAT),
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): () => void {
  const before = format;
  format = chosen;
  if (chosen === 'json')
    return () => {
      format = before;
    };
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, i) => {
    const original = originals[i];
    stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk))
        return original.call(this, chunk as string, ...(rest as []));
      const invocation = invocations.getStore();
      const kept: string[] = [];
      for (const line of chunk.toString().split('\n')) {
        const seen = readable(line, invocation);
        if (seen.kind === 'note') {
          if (seen.note) invocation?.notes.push(seen.note);
        } else kept.push(seen.kind === 'line' ? seen.line : line);
      }
      const text = kept.join('\n');
      if (text === '') {
        // Folded entirely: the caller's callback still runs, as after a write.
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      return original.call(this, text, ...(rest as []));
    } as Write;
  });
  return () => {
    streams.forEach((stream, i) => {
      stream.write = originals[i];
    });
    format = before;
  };
}
