// zod failures as InvalidInput naming every bad field, e.g. `recommendations[2].risk_level`.
import type * as z from 'zod';
import { type FieldIssue, InvalidInput } from '../core/model/errors.js';

export function fieldName(path: ReadonlyArray<PropertyKey>, root = ''): string {
  let name = root;
  for (const part of path) {
    if (typeof part === 'number') name += `[${part}]`;
    else name += name ? `.${String(part)}` : String(part);
  }
  return name || root || 'body';
}

export function issuesOf(error: z.ZodError, root = ''): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName([...issue.path, key], root), message: 'is not a known field' }))
      : [{ field: fieldName(issue.path, root), message: issue.message }],
  );
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string, root = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issuesOf(result.error, root);
  throw new InvalidInput(`invalid ${what}: ${details.map((d) => d.field).join(', ')}`, details);
}
