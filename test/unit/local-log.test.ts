// The local log (local/local-log.ts): the functions' Powertools JSON and EMF lines become part of one
// readable line per request or task, labelled with the function, secrets redacted; LOG_FORMAT=json
// leaves them as Lambda writes them.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  asFunction,
  installLocalLog,
  invocationLine,
  logFormatFrom,
  logInvocation,
  readable,
} from '../../local/local-log.js';
import { readPath, stepIndexOf, stepStateName } from '../../local/step-functions/step-names.js';

const powertools = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 'INFO',
    message: 'coordinated',
    timestamp: '2026-12-02T03:00:00Z',
    service: 'arbiter',
    ...fields,
  });

/** A stream that keeps what it was given, standing in for stdout or stderr. */
function capture() {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, lines: () => written.join('').split('\n').filter(Boolean) };
}

let undo: (() => void) | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  undo?.();
  undo = undefined;
});

describe('the readable local log', () => {
  it('folds INFO lines and EMF documents into the invocation; WARN and ERROR get a labelled line, secrets redacted', () => {
    const invocation = { fn: 'coordinate', notes: [] };
    expect(readable(powertools({ kept: 1 }), invocation)).toEqual({ kind: 'note', note: 'coordinated' });
    // Every task logs it; the task's line already says so.
    expect(readable(powertools({ message: 'task done' }), invocation)).toEqual({ kind: 'note' });
    const emf = JSON.stringify({
      _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'Arbiter', Metrics: [{ Name: 'Recommendations' }] }] },
      Recommendations: 2,
    });
    expect(readable(emf, invocation)).toEqual({ kind: 'note', note: 'metrics: Recommendations' });
    const warning = readable(
      powertools({ level: 'WARN', message: 'request refused', status: 403, link: { sig: 'abc123', approver: 'a' } }),
      invocation,
    );
    expect(warning).toEqual({
      kind: 'line',
      line: expect.stringMatching(/^coordinate\s+WARN request refused {2}status=403 link=\{"sig":"\[redacted\]"/),
    });
    expect(JSON.stringify(warning)).not.toContain('abc123');
    expect(readable('plain text from a library', invocation)).toEqual({ kind: 'as_is' });
    expect(readable('{"not":"a log item"}', invocation)).toEqual({ kind: 'as_is' });
    // Outside any invocation (a cold start), an INFO line is a line of its own.
    expect(readable(powertools({}), undefined)).toEqual({
      kind: 'line',
      line: expect.stringMatching(/^arbiter\s+INFO coordinated$/),
    });
  });

  it('writes one line per invocation: the function, what it did, how it ended, how long, and what it logged', () => {
    const { stream, lines } = capture();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    undo = installLocalLog('readable', [stream]);
    asFunction('arbiter-coordinate', (invocation) => {
      const emf = (name: string) =>
        JSON.stringify({ _aws: { CloudWatchMetrics: [{ Namespace: 'Arbiter', Metrics: [{ Name: name }] }] } });
      stream.write(`${emf('Recommendations')}\n${emf('Recommendations')}\n${emf('Conflicts')}\n`);
      stream.write(`${powertools({ kept: 1 })}\n`);
      logInvocation(invocation, 'POST /coordination/coordinate', 42, '200');
    });
    expect(lines()).toEqual([]);
    expect(log.mock.calls).toEqual([
      [
        'coordinate         POST /coordination/coordinate 200  42 ms  · coordinated · metrics: Recommendations, Conflicts',
      ],
    ]);
  });

  it('with LOG_FORMAT=json, leaves the functions’ JSON alone and writes each invocation as JSON', () => {
    expect(logFormatFrom('JSON')).toBe('json');
    expect(logFormatFrom(undefined)).toBe('readable');
    const { stream, lines } = capture();
    undo = installLocalLog('json', [stream]);
    const line = powertools({ kept: 1 });
    asFunction('arbiter-dispatch-step', (invocation) => {
      stream.write(`${line}\n`);
      expect(JSON.parse(invocationLine(invocation, 'Run step 2: migrate_workload', 7))).toMatchObject({
        level: 'INFO',
        function: 'dispatch-step',
        message: 'Run step 2: migrate_workload',
        duration_ms: 7,
      });
    });
    expect(lines()).toEqual([line]);
  });
});

describe('step names', () => {
  it('names a step task after the plan step its input points at, counting from 1', () => {
    expect(stepStateName('Run step', 1, 'migrate_workload')).toBe('Run step 2: migrate_workload');
    expect(stepStateName('Run step', 0)).toBe('Run step 1');
    const paths = new Map([['Run step', '$.cursor.value.index']]);
    expect(stepIndexOf(paths, 'Run step', { cursor: { value: { index: 2 } } })).toBe(2);
    expect(stepIndexOf(paths, 'More steps?', { cursor: { value: { index: 2 } } })).toBeUndefined();
    expect(stepIndexOf(paths, 'Run step', { cursor: { value: { index: 'x' } } })).toBeUndefined();
    expect(readPath({ a: [1] }, '$.a[0]')).toBeUndefined();
  });
});
