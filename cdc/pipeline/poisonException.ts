import type { RawMessage, DecodeFailure } from '../envelope/decodeMessage';
import { exceptionFingerprint, type ExceptionInput } from '../exceptions/ExceptionInput';
import type { OutgoingMessage } from '../kafka/MessageBroker';

/** The exception and the dead letter for a message that could not be read. */
export function poisonException(
  message: RawMessage,
  error: DecodeFailure,
  deadLetterTopic: string,
): { exception: ExceptionInput & { readonly fingerprint: string }; deadLetter: OutgoingMessage } {
  const e: ExceptionInput = {
    code: 'POISON_MESSAGE',
    message: `A message on ${message.topic} (partition ${message.partition}, offset ${message.offset}) could not be read: ${error.message.replace(/^[^:]+: /, '')}. It was moved to the dead-letter topic ${deadLetterTopic}.`,
    source: {
      system: message.topic.split('.')[0] ?? message.topic,
      table: message.topic,
      sourceId: `${message.partition}:${message.offset}`,
    },
    sourceEvent: {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      value: message.value?.toString('utf8') ?? null,
    },
    fingerprint: `POISON_MESSAGE|${message.topic}|${message.partition}|${message.offset}`,
  };
  return {
    exception: { ...e, fingerprint: exceptionFingerprint(e) },
    deadLetter: {
      key: message.key,
      value: message.value,
      headers: {
        'finsync-source-topic': message.topic,
        'finsync-source-partition': String(message.partition),
        'finsync-source-offset': message.offset,
        'finsync-error-code': error.code,
        'finsync-error': error.message,
      },
    },
  };
}
