// Notifications over one SNS topic. Each approver's email subscription carries a filter policy
// on the `approver` attribute, so every message reaches exactly the approver it names.
import { GetTopicAttributesCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { emailSubject } from '../core/messages/message-safety.js';
import { APPROVER_ATTRIBUTE, type Notification, type Notifier } from '../core/ports/notifier.js';
import { localEndpoint } from './local-endpoint.js';

export class SnsNotifier implements Notifier {
  private readonly client: SNSClient;

  constructor(
    private readonly topicArn: string,
    endpoint?: string,
  ) {
    this.client = new SNSClient(localEndpoint(endpoint));
  }

  async publish(notification: Notification): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        // Every subject, alerts included, is made one that SNS accepts (ASCII, one line, < 100 characters).
        Subject: emailSubject(notification.subject),
        Message: notification.text,
        MessageAttributes: Object.fromEntries(
          Object.entries(notification.attributes).map(([name, value]) => [
            name,
            { DataType: 'String', StringValue: value },
          ]),
        ),
      }),
    );
  }

  /** For the health check: the topic exists. */
  async isAvailable(): Promise<boolean> {
    await this.client.send(new GetTopicAttributesCommand({ TopicArn: this.topicArn }));
    return true;
  }

  /**
   * SNS keeps one subscription per email and topic, so the filter names the email: an address that
   * approves for several customers has one subscription, and subscribing it again is a no-op.
   */
  async subscribeApprover(email: string): Promise<string> {
    const result = await this.client.send(
      new SubscribeCommand({
        TopicArn: this.topicArn,
        Protocol: 'email',
        Endpoint: email,
        Attributes: {
          FilterPolicy: JSON.stringify({ [APPROVER_ATTRIBUTE]: [email] }),
          FilterPolicyScope: 'MessageAttributes',
        },
        ReturnSubscriptionArn: true,
      }),
    );
    return result.SubscriptionArn ?? 'pending confirmation';
  }
}
