// What Arbiter tells people: approval requests (one message per approver) and operator alerts.

export interface Notification {
  subject: string;
  text: string;
  /** Message attributes; `approver` routes a message to that approver's subscription only. */
  attributes: Record<string, string>;
}

export interface Notifier {
  publish(notification: Notification): Promise<void>;
  /** Subscribes the approver's email to the messages addressed to it; returns the subscription id. */
  subscribeApprover(email: string): Promise<string>;
}

/** The message attribute that routes an approval request: the approver's email, which their subscription filters on. */
export const APPROVER_ATTRIBUTE = 'approver';
