// A Notifier port that keeps what was published, for tests about the rules (the local SNS
// stand-in is exercised through the local stack).
import type { Notification, Notifier } from '../../functions/core/ports/notifier.js';

export class RecordingNotifier implements Notifier {
  readonly published: Notification[] = [];
  readonly subscriptions: string[] = [];

  async publish(notification: Notification): Promise<void> {
    this.published.push(notification);
  }

  async subscribeApprover(email: string): Promise<string> {
    this.subscriptions.push(email);
    return `sub-${email}`;
  }
}
