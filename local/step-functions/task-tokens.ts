// Task tokens: minted by each evaluation of $$.Task.Token, waited on by .waitForTaskToken tasks,
// answered by SendTaskSuccess/SendTaskFailure. A token stays known after its task closed, so a
// late answer gets TaskTimedOut (as on AWS) rather than TaskDoesNotExist.
import { randomBytes } from 'node:crypto';

/** What answering a token did: reached its waiting task, or found none waiting. */
export type TokenAnswer = 'sent' | 'task_closed' | 'unknown_token';

interface WaitingTask {
  tokens: string[];
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface TokenRecord {
  executionArn: string;
  closed: boolean;
  task?: WaitingTask;
}

/** A task failure as the ASL sees it: Catch and Retry match on `name`, the cause becomes Cause. */
export function taskError(error: string, cause: string): Error {
  return Object.assign(new Error(cause), { name: error });
}

/**
 * Ends a task whose execution was stopped, so the engine lets go of it (and clears its timers);
 * the engine reads these flags to neither retry nor catch it.
 */
function executionEnded(): Error {
  return Object.assign(taskError('States.ExecutionEnded', 'the execution was stopped'), {
    isRetryable: false,
    isCatchable: false,
  });
}

export class TaskTokens {
  private readonly records = new Map<string, TokenRecord>();
  private readonly byExecution = new Map<string, Set<string>>();

  mint(executionArn: string): string {
    const token = randomBytes(48).toString('base64url');
    this.records.set(token, { executionArn, closed: false });
    let tokens = this.byExecution.get(executionArn);
    if (!tokens) this.byExecution.set(executionArn, (tokens = new Set()));
    tokens.add(token);
    return token;
  }

  /** The tokens minted here that appear anywhere in a task's input. */
  findIn(value: unknown): string[] {
    if (typeof value === 'string') return this.records.has(value) ? [value] : [];
    if (typeof value !== 'object' || value === null) return [];
    return Object.values(value).flatMap((item) => this.findIn(item));
  }

  /**
   * Waits until one of the tokens is answered. On AWS one task has one token; here each
   * evaluation of $$.Task.Token mints one, so a payload may carry several for the same task.
   */
  wait(tokens: string[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const task: WaitingTask = { tokens, resolve, reject };
      for (const token of tokens) this.record(token).task = task;
    });
  }

  succeed(token: string, output: unknown): TokenAnswer {
    return this.answer(token, (task) => task.resolve(output));
  }

  fail(token: string, error: string, cause: string): TokenAnswer {
    return this.answer(token, (task) => task.reject(taskError(error, cause)));
  }

  /** The task stops waiting (timed out, or its handler failed): later answers are too late. */
  close(tokens: string[]): void {
    for (const token of tokens) {
      const record = this.record(token);
      record.closed = true;
      record.task = undefined;
    }
  }

  /** The execution ended: none of its tokens can be answered any more. */
  closeExecution(executionArn: string): void {
    for (const token of this.byExecution.get(executionArn) ?? []) {
      const task = this.record(token).task;
      if (task) {
        this.close(task.tokens);
        task.reject(executionEnded());
      }
      this.close([token]);
    }
  }

  private answer(token: string, settle: (task: WaitingTask) => void): TokenAnswer {
    const record = this.records.get(token);
    if (!record) return 'unknown_token';
    if (record.closed) return 'task_closed';
    // Minted but never handed to a waiting task (e.g. $$.Task.Token in a plain invoke).
    if (!record.task) return 'unknown_token';
    const task = record.task;
    this.close(task.tokens);
    settle(task);
    return 'sent';
  }

  private record(token: string): TokenRecord {
    const record = this.records.get(token);
    if (!record) throw new Error('unknown task token');
    return record;
  }
}
