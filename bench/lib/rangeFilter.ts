/**
 * Keeps a consumer group's batches inside fixed offset ranges. Other work on this machine (tests, a running
 * finsync, other benchmarks) writes to the same Debezium topics while a pass runs; without this, the pipeline
 * would also apply those later events and the pass would measure a different input than the ceiling.
 *
 * `Kafka.prototype.consumer` of kafkajs is wrapped, once, in the bench process only: for a registered group
 * id, `run({ eachBatch })` hands the handler each batch with only the messages in [start, end) of its
 * partition (nothing for partitions outside the ranges). The batch keeps its prototype (topic, partition,
 * offsets), and kafkajs still resolves and commits the offsets of the whole fetched batch. The code under
 * measurement is untouched: it receives exactly the data set's messages, in the order Kafka returns them.
 */
import { Kafka, type ConsumerConfig, type ConsumerRunConfig, type EachBatchPayload } from 'kafkajs';
import { rangeKey, type PartitionRange } from './offsetRanges';

type Limits = Map<string, { start: bigint; end: bigint }>;
const groups = new Map<string, Limits>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const proto = Kafka.prototype as unknown as { consumer: (config: ConsumerConfig) => ReturnType<Kafka['consumer']> };
  const original = proto.consumer;
  proto.consumer = function restrictedConsumer(this: Kafka, config: ConsumerConfig) {
    const consumer = original.call(this, config);
    const limits = groups.get(config.groupId);
    if (!limits) return consumer;
    const run = consumer.run.bind(consumer);
    consumer.run = (runConfig?: ConsumerRunConfig) => {
      const eachBatch = runConfig?.eachBatch;
      if (!eachBatch) return run(runConfig);
      return run({
        ...runConfig,
        eachBatch: (payload: EachBatchPayload) => {
          const limit = limits.get(rangeKey(payload.batch.topic, payload.batch.partition));
          const messages = payload.batch.messages.filter((m) => {
            if (!limit) return false;
            const offset = BigInt(m.offset);
            return offset >= limit.start && offset < limit.end;
          });
          const batch = Object.create(payload.batch, { messages: { value: messages } }) as EachBatchPayload['batch'];
          return eachBatch({ ...payload, batch });
        },
      });
    };
    return consumer;
  };
}

/** From now on, consumers created for `groupId` see only the messages of `ranges`. Returns an undo. */
export function restrictGroupToRanges(groupId: string, ranges: readonly PartitionRange[]): () => void {
  install();
  groups.set(
    groupId,
    new Map(ranges.map((r) => [rangeKey(r.topic, r.partition), { start: BigInt(r.start), end: BigInt(r.end) }])),
  );
  return () => {
    groups.delete(groupId);
  };
}
