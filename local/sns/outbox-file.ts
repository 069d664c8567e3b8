// The outbox on disk (ARBITER_DATA_DIR), so the emails and subscriptions of a stack survive its
// restart, even after kill -9: one JSON line appended, synchronously, per message or subscription.
// A line cut short by a crash is skipped (and ended) when the file is read back.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboxMessage, Subscription } from './outbox.js';

export const OUTBOX_FILE = 'sns-outbox.jsonl';

export type OutboxRecord = { message: OutboxMessage } | { subscription: Subscription };

export interface OutboxLog {
  append(record: OutboxRecord): void;
  records(): OutboxRecord[];
}

export function outboxFile(dataPath: string): OutboxLog {
  mkdirSync(dataPath, { recursive: true });
  const file = join(dataPath, OUTBOX_FILE);
  return {
    append(record) {
      // The file holds every approver's signed links: readable by its owner only.
      appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    },
    records() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      // A write cut short left no line end: end that line, so the next record starts a line of its own.
      if (text !== '' && !text.endsWith('\n')) appendFileSync(file, '\n');
      return text.split('\n').flatMap((line): OutboxRecord[] => {
        if (line.trim() === '') return [];
        try {
          return [JSON.parse(line) as OutboxRecord];
        } catch {
          console.error(`[sns] skipped an unreadable line of ${file} (cut short by a crash?)`);
          return [];
        }
      });
    },
  };
}
