/**
 * Makes sure Kafka Connect's internal topics exist and are compacted before the worker starts. Connect
 * refuses to start when, say, its offsets topic was auto-created with `cleanup.policy=delete` (which
 * happens when a worker keeps running while the broker it talked to is replaced). Creating them here,
 * compacted, or fixing their policy, makes `stack:up` recover from that instead of failing.
 * Usage: tsx stack/readiness/connectTopics.ts <broker> <topic> [topic…]
 */
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';

async function main(broker: string, topics: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'finsync-stack', brokers: [broker], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        })),
      });
    }
    const present = topics.filter((t) => existing.has(t));
    if (!present.length) return;
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] })),
    });
    const wrong = described.resources
      .filter((r) => r.configEntries.some((e) => e.configName === 'cleanup.policy' && e.configValue !== 'compact'))
      .map((r) => r.resourceName);
    if (wrong.length) {
      process.stderr.write(`connect: setting cleanup.policy=compact on ${wrong.join(', ')}\n`);
      await admin.alterConfigs({
        validateOnly: false,
        resources: wrong.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

const [broker, ...topics] = process.argv.slice(2);
main(broker ?? '127.0.0.1:9092', topics).catch((err: unknown) => {
  process.stderr.write(`connect: preparing internal topics failed: ${String(err)}\n`);
  process.exit(1);
});
