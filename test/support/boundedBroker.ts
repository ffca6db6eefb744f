import type { MessageBroker } from '../../cdc/kafka/MessageBroker';
import { partitionKey, type PartitionOffsets } from './changeTopicOffsets';

/**
 * A `MessageBroker` whose consumers hand the pipeline only the messages below `ends` on each partition (nothing of
 * a partition not in `ends`). A replay then reads exactly the offset range an earlier pass read, even while other
 * work on the shared stack keeps writing to the change topics. Everything else is the wrapped broker.
 */
export function boundedBroker(inner: MessageBroker, ends: PartitionOffsets): MessageBroker {
  return {
    producer: () => inner.producer(),
    clusterId: () => inner.clusterId(),
    listTopics: () => inner.listTopics(),
    createTopics: (topics, partitions) => inner.createTopics(topics, partitions),
    evictMember: (groupId, memberId) => inner.evictMember(groupId, memberId),
    partitionStarts: (topics) => inner.partitionStarts(topics),
    consumer: async (options) => {
      const consumer = await inner.consumer(options);
      return {
        run: (handler, runOptions) =>
          consumer.run(async (batch) => {
            const end = ends.get(partitionKey(batch.topic, batch.partition)) ?? 0n;
            const messages = batch.messages.filter((m) => BigInt(m.offset) < end);
            if (messages.length) await handler({ ...batch, messages });
          }, runOptions),
        stop: () => consumer.stop(),
      };
    },
  };
}
