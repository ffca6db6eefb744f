/** The Kafka offset ranges a CDC benchmark pass consumes, and progress through them. */

export interface PartitionRange {
  readonly topic: string;
  readonly partition: number;
  /** First offset of the range (the partition's end offset before seeding). */
  readonly start: string;
  /** One past the last offset of the range (the end offset once Debezium has written everything). */
  readonly end: string;
}

export const rangeKey = (topic: string, partition: number): string => `${topic}:${partition}`;

export function eventsIn(ranges: readonly PartitionRange[]): number {
  return ranges.reduce((sum, r) => sum + Number(BigInt(r.end) - BigInt(r.start)), 0);
}

/** Tracks, per partition, the next offset processed; complete when every range has reached its end. */
export class RangeProgress {
  private readonly next = new Map<string, bigint>();
  private readonly ends = new Map<string, bigint>();
  private pending = 0;

  constructor(ranges: readonly PartitionRange[]) {
    for (const r of ranges) {
      const key = rangeKey(r.topic, r.partition);
      this.ends.set(key, BigInt(r.end));
      this.next.set(key, BigInt(r.start));
      if (BigInt(r.start) < BigInt(r.end)) this.pending += 1;
    }
  }

  /** Whether the partition is one of the ranges. */
  has(topic: string, partition: number): boolean {
    return this.ends.has(rangeKey(topic, partition));
  }

  /** Records that everything below `next` is processed; returns whether every range is now complete. */
  advance(topic: string, partition: number, next: bigint): boolean {
    const key = rangeKey(topic, partition);
    const end = this.ends.get(key);
    const before = this.next.get(key);
    if (end === undefined || before === undefined || next <= before) return this.complete;
    this.next.set(key, next);
    if (before < end && next >= end) this.pending -= 1;
    return this.complete;
  }

  get complete(): boolean {
    return this.pending === 0;
  }

  /** Events processed so far (within the ranges). */
  processed(ranges: readonly PartitionRange[]): number {
    let n = 0;
    for (const r of ranges) {
      const next = this.next.get(rangeKey(r.topic, r.partition)) ?? BigInt(r.start);
      const end = BigInt(r.end);
      n += Number((next < end ? next : end) - BigInt(r.start));
    }
    return n;
  }
}
