// What an approver sends to decide: the API's approve/reject bodies, and the emailed link's query and form.
import * as z from 'zod';
import { Identifier } from './inputs.js';

/** The approver's email, as the seed's user_id: it must name the caller's own key. */
const UserId = z.string().min(1).max(320);

export const ApproveBody = z.strictObject({ user_id: UserId });
export type ApproveBody = z.infer<typeof ApproveBody>;

export const RejectBody = z.strictObject({
  user_id: UserId,
  reason: z.string().trim().min(1, 'a reason is required to reject').max(1000),
});
export type RejectBody = z.infer<typeof RejectBody>;

/** The signed part of an emailed link: who it was sent to, until when, and its HMAC. */
const Signed = { approver: Identifier, expires: z.coerce.number().int().positive(), sig: z.string().min(1).max(128) };

export const ReviewQuery = z.strictObject(Signed);

export const DecisionForm = z
  .strictObject({ ...Signed, decision: z.enum(['approve', 'reject']), reason: z.string().trim().max(1000).optional() })
  .refine((f) => f.decision === 'approve' || (f.reason ?? '').length > 0, {
    message: 'a reason is required to reject',
    path: ['reason'],
  });
