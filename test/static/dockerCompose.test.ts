/**
 * docker-compose.yml is not run here (no Docker on this machine): its shape is checked instead. One service per
 * finsync process, so that `docker compose up --scale cdc=3 --scale posting=2` scales each (issue 16): every process
 * the launcher runs has its service running that process's entry point, no replicable process pins a container name
 * or a host port that a second replica would collide on, and each sees the stack and the others by service name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { planLaunch } from '../../bin/launcher/processes';

interface Service {
  command?: string[] | string;
  container_name?: string;
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service> };
const plan = planLaunch({});

describe('docker-compose.yml: one service per finsync process', () => {
  it.each(plan.processes.map((p) => [p.spec.name, p.spec.entry, p.spec.replicable] as const))(
    '%s runs %s in a service of its own',
    (name, entry, replicable) => {
      const service = compose.services[name];
      expect(service).toBeDefined();
      const command = Array.isArray(service!.command) ? service!.command.join(' ') : service!.command;
      expect(command).toContain(entry);
      if (replicable && name !== 'gateway') {
        // A second replica must be able to start: no fixed container name, no host port.
        expect(service!.container_name).toBeUndefined();
        expect(service!.ports ?? []).toEqual([]);
      }
      // Every process reaches Kafka and the canonical store inside the compose network, and waits for the schema.
      expect(service!.environment).toMatchObject({
        FINSYNC_KAFKA_BROKERS: 'kafka:29092',
        FINSYNC_DATABASE_URL: expect.stringContaining('@postgres:5432/finsync'),
      });
      expect(service!.depends_on?.['finsync-init']).toEqual({ condition: 'service_completed_successfully' });
    },
  );

  it('lets a scaled CDC consumer and posting worker name themselves (no fixed instance or worker id)', () => {
    for (const name of ['cdc', 'posting']) {
      expect(compose.services[name]!.environment?.FINSYNC_INSTANCE).toBeUndefined();
      expect(compose.services[name]!.environment?.FINSYNC_WORKER_ID).toBeUndefined();
    }
  });

  it('points the gateway at every subgraph service', () => {
    const env = compose.services.gateway!.environment!;
    for (const p of plan.processes.filter((x) => x.spec.entry.startsWith('subgraphs/'))) {
      expect(env[`FINSYNC_${p.spec.name.toUpperCase()}_URL`]).toMatch(
        new RegExp(`^http://${p.spec.name}:41\\d\\d/graphql$`),
      );
      expect(compose.services[p.spec.name]!.environment!.FINSYNC_SUBGRAPH_HOST).toBe('0.0.0.0');
    }
  });
});
