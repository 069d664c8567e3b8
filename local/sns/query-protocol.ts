// AWS Query, the wire protocol of SNS: a form-urlencoded POST (`Action=Publish&TopicArn=...`, maps
// flattened as `MessageAttributes.entry.1.Name=...`), answered in XML the SDK's AwsQueryProtocol
// reads: `<PublishResponse><PublishResult>...` or `<ErrorResponse><Error><Code>`.
import { ServiceError, type StandInReply, type StandInRequest } from '../stand-in-server.js';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** A result member: text, or a map written as `<entry><key/><value/></entry>` items. */
export type ResultValue = string | Readonly<Record<string, string>>;
export type Action = (params: URLSearchParams) => Record<string, ResultValue>;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function member(name: string, value: ResultValue): string {
  const content =
    typeof value === 'string'
      ? escapeXml(value)
      : Object.entries(value)
          .map(([key, item]) => `<entry><key>${escapeXml(key)}</key><value>${escapeXml(item)}</value></entry>`)
          .join('');
  return `<${name}>${content}</${name}>`;
}

/** The numbered entries of a flattened map: `prefix.entry.N.<field>` for N = 1, 2, ... */
export function mapEntries(params: URLSearchParams, prefix: string): URLSearchParams[] {
  const entries: URLSearchParams[] = [];
  for (let n = 1; ; n++) {
    const head = `${prefix}.entry.${n}.`;
    const fields = [...params]
      .filter(([key]) => key.startsWith(head))
      .map(([key, value]): [string, string] => [key.slice(head.length), value]);
    if (fields.length === 0) return entries;
    entries.push(new URLSearchParams(fields));
  }
}

export function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw new ServiceError('InvalidParameter', `Invalid parameter: ${name}`);
  return value;
}

export async function answerQueryRequest(
  request: StandInRequest,
  actions: Readonly<Record<string, Action>>,
): Promise<StandInReply> {
  const params = new URLSearchParams(request.body);
  const name = params.get('Action') ?? '';
  const reply = (statusCode: number, body: string): StandInReply => ({ statusCode, contentType: 'text/xml', body });
  try {
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (request.method !== 'POST' || !action)
      throw new ServiceError('InvalidAction', `Unknown action ${name || '(none)'}`);
    const result = Object.entries(action(params))
      .map(([key, value]) => member(key, value))
      .join('');
    const metadata = `<ResponseMetadata><RequestId>${request.requestId}</RequestId></ResponseMetadata>`;
    return reply(
      200,
      `<${name}Response xmlns="${XMLNS}"><${name}Result>${result}</${name}Result>${metadata}</${name}Response>`,
    );
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const detail = `<Type>Sender</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>`;
    return reply(
      error.statusCode,
      `<ErrorResponse xmlns="${XMLNS}"><Error>${detail}</Error><RequestId>${request.requestId}</RequestId></ErrorResponse>`,
    );
  }
}
