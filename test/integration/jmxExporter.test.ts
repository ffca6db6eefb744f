/**
 * The Prometheus JMX exporter agent as the stack attaches it to Kafka Connect and Kafka (stack/lib/jars.sh resolves
 * it from Maven Central; stack/connect/up.sh and stack/kafka/up.sh add `-javaagent` with the rules in
 * stack/connect/jmx-exporter.yml and stack/kafka/jmx-exporter.yml). The shared Connect is not restarted for this:
 * a tiny JVM (test/support/jmx/MBeanProbe.java) registers MBeans under the names Debezium, Connect and the broker
 * use, with known values, runs with both agents and their real rule files, and the test reads what a Prometheus
 * scrape gets: Debezium's MilliSecondsBehindSource and queue capacity with plugin/name/context labels, a Connect
 * task metric with connector/task labels, a broker meter.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../support/prometheusServer';
import { waitFor } from '../support/waitFor';

const root = join(__dirname, '..', '..');
const java = join(process.env.JAVA_HOME ?? '/usr/lib/jvm/java-17-openjdk-amd64', 'bin', 'java');

/** Runs the probe JVM with the agent and one rules file; returns the first scrape that has the expected prefix. */
async function scrapeProbe(rules: string, expect: string): Promise<string> {
  const agentDir = join(root, '.cache', 'jars', 'jmx-exporter');
  const jar = readdirSync(agentDir).find((f) => /^jmx_prometheus_javaagent-.*\.jar$/.test(f));
  if (!jar) throw new Error(`no JMX exporter agent in ${agentDir}: stack/lib/jars.sh resolves it`);
  const port = await freePort();
  const child = spawn(
    java,
    [
      `-javaagent:${join(agentDir, jar)}=127.0.0.1:${port}:${rules}`,
      join(root, 'test', 'support', 'jmx', 'MBeanProbe.java'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    return await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the probe JVM exited: ${output}`);
        if (!output.includes('mbeans registered')) return '';
        const text = await fetch(`http://127.0.0.1:${port}/metrics`)
          .then((r) => (r.ok ? r.text() : ''))
          .catch(() => '');
        return text.includes(expect) ? text : '';
      },
      60_000,
      `the agent with ${rules} to serve ${expect}…`,
      300,
    );
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('JMX exporter agent with the stack’s rules', () => {
  it('exposes Debezium’s, Connect’s and the broker’s MBeans in Prometheus format', async () => {
    const [connect, kafka] = await Promise.all([
      scrapeProbe(join(root, 'stack', 'connect', 'jmx-exporter.yml'), 'debezium_metrics_'),
      scrapeProbe(join(root, 'stack', 'kafka', 'jmx-exporter.yml'), 'kafka_server_'),
    ]);
    expect(connect).toContain(
      'debezium_metrics_MilliSecondsBehindSource{context="streaming",name="obsprobe",plugin="postgres"} 1234.0',
    );
    expect(connect).toContain(
      'debezium_metrics_QueueRemainingCapacity{context="streaming",name="obsprobe",plugin="postgres"} 8192.0',
    );
    expect(connect).toContain('kafka_connect_source_task_metrics_BatchSizeAvg{connector="obsprobe",task="0"} 7.5');
    expect(kafka).toContain('kafka_server_brokertopicmetrics_messagesinpersec 99.0');
  });
});
