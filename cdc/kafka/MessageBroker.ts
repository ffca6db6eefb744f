import type { RawMessage } from '../envelope/decodeMessage';

/**
 * The small surface finsync needs from a Kafka client. kafkajs implements it today (`kafkajsBroker.ts`);
 * its last release was in 2023, so nothing outside this folder imports kafkajs, and a replacement client
 * only has to implement these three interfaces.
 */
export interface MessageBroker {
  consumer(options: ConsumerOptions): Promise<MessageConsumer>;
  producer(): Promise<MessageProducer>;
  /** The Kafka cluster's id: offsets read from one cluster mean nothing on another. */
  clusterId(): Promise<string>;
  /** Topic names present on the broker. */
  listTopics(): Promise<string[]>;
  /** Creates the topics that do not exist yet (one partition each unless given). */
  createTopics(topics: readonly string[], partitions?: number): Promise<void>;
  /**
   * The high watermark (the offset after the last message) of every partition of the topics whose name matches,
   * keyed `<topic>:<partition>`: the consumer-lag gauge compares it with the offsets the pipeline stored.
   */
  highWatermarks?(pattern: RegExp): Promise<Map<string, string>>;
  /**
   * Removes a member from a consumer group at once (a LeaveGroup on its behalf), so the group rebalances now
   * instead of after the member's session timeout. Only for a member known to be dead (the predecessor of a
   * restarted instance); an unknown member (already gone) is not an error.
   */
  evictMember(groupId: string, memberId: string): Promise<void>;
  /**
   * The first offset each partition of the topics still holds (`<topic>:<partition>` → offset): what retention
   * deleted lies below it.
   */
  partitionStarts(topics: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export interface ConsumerOptions {
  /** Consumer group; committed offsets are kept per group. */
  readonly groupId: string;
  /** Topic names or patterns; patterns match topics present when the consumer starts. */
  readonly topics: readonly (string | RegExp)[];
  /** Where a group without committed offsets starts: the first message (true) or new messages only. */
  readonly fromBeginning: boolean;
}

/** A batch of messages of one topic partition, in offset order. */
export interface MessageBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly RawMessage[];
}

export interface MessageConsumer {
  /**
   * Calls the handler for each batch, one at a time per partition (several partitions at once up to
   * `concurrency`). The batch's offsets are committed to
   * the broker only after the handler resolves; a handler that throws makes the client retry the batch.
   */
  run(handler: (batch: MessageBatch) => Promise<void>, options?: RunOptions): Promise<void>;
  stop(): Promise<void>;
}

export interface RunOptions {
  /**
   * Where to resume each assigned partition, when the consumer keeps its own offsets (finsync stores them
   * in Postgres, in the apply transaction): the next offset to read, or undefined to use the group's.
   */
  readonly startOffset?: (topic: string, partition: number) => string | undefined;
  /** Called each time the consumer has joined its group and owns its partitions, with its member id. */
  readonly onGroupJoin?: (join: GroupJoin) => void;
  /**
   * Called on each join, after `startOffset`, with the partitions assigned; the consumer seeks again each partition
   * whose offset it returns differs. Another process of the group may have applied a partition since this one
   * started, so the offsets are read again on every join.
   */
  readonly startOffsets?: (
    assigned: ReadonlyArray<{ topic: string; partition: number }>,
  ) => Promise<ReadonlyMap<string, string>>;
  /** How many partitions' batches the handler may hold at once (never two of one partition). Default 1. */
  readonly concurrency?: number;
}

export interface GroupJoin {
  readonly memberId: string;
  /** `<topic>:<partition>` of every partition assigned to this member. */
  readonly assigned: readonly string[];
}

export interface OutgoingMessage {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface MessageProducer {
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}
