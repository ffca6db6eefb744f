/**
 * Waits until Debezium's change topics stop growing: after a fresh broker, or a connector registered for
 * the first time, each connector first snapshots every existing source row, and whoever starts consuming
 * before that is done sees that snapshot mixed into its own traffic. Settled = the topics' end offsets
 * unchanged for `quietSeconds` in a row. Exit 0 when settled, 1 after the timeout.
 * Usage: tsx stack/readiness/topicsSettled.ts <broker> <topic-regex> [quietSeconds=5] [timeoutSeconds=600]
 */
import { Kafka, logLevel } from 'kafkajs';

async function main(broker: string, pattern: RegExp, quietSeconds: number, timeoutSeconds: number): Promise<void> {
  const admin = new Kafka({ clientId: 'finsync-stack', brokers: [broker], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutSeconds * 1000;
    let last = -1n;
    let quietSince = Date.now();
    for (;;) {
      const topics = (await admin.listTopics()).filter((t) => pattern.test(t));
      let total = 0n;
      for (const topic of topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) total += BigInt(p.high);
      }
      if (total !== last) {
        last = total;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietSeconds * 1000) {
        process.stdout.write(`${topics.length} change topics settled at ${total} messages\n`);
        return;
      }
      if (Date.now() > deadline)
        throw new Error(`change topics still growing after ${timeoutSeconds} s (now ${total} messages)`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await admin.disconnect();
  }
}

const [
  broker = '127.0.0.1:9092',
  pattern = '^(erp|billing|procurement|payroll)\\.[^.]+\\.[^.]+$',
  quiet = '5',
  timeout = '600',
] = process.argv.slice(2);
main(broker, new RegExp(pattern), Number(quiet), Number(timeout)).catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
