// What Arbiter tells people: approval requests (one message per approver) and operator alerts.

export interface Notification {
  subject: string;
  text: string;
  /** Message attributes; `approver` routes a message to that approver's subscription only. */
  attributes: Record<string, string>;
}

export interface Notifier {
  publish(notification: Notification): Promise<void>;
  /** Subscribes the approver's email to the messages addressed to them; returns the subscription id. */
  subscribeApprover(email: string, approverId: string): Promise<string>;
}

export const APPROVER_ATTRIBUTE = 'approver';
