import { planLaunch } from './processes';

describe('planLaunch', () => {
  it('hangs every port off the base: gateway +0, subgraphs +101…+106, status +90', () => {
    const plan = planLaunch({ FINSYNC_PORT_BASE: '14000' });
    expect(plan.gatewayUrl).toBe('http://127.0.0.1:14000/graphql');
    expect(plan.statusPort).toBe(14090);
    const gateway = plan.processes.find((p) => p.spec.name === 'gateway')!.spec.env(1);
    expect(gateway).toMatchObject({
      FINSYNC_GATEWAY_PORT: '14000',
      FINSYNC_VENDORS_URL: 'http://127.0.0.1:14101/graphql',
      FINSYNC_POSTINGS_URL: 'http://127.0.0.1:14106/graphql',
    });
    expect(plan.processes.find((p) => p.spec.name === 'reconciliation')!.spec.env(1)).toEqual({
      FINSYNC_RECONCILIATION_PORT: '14105',
      FINSYNC_METRICS_PORT: '14215',
    });
  });

  it('gives instance n its port + 1000 · (n − 1), and each its own name', () => {
    const plan = planLaunch({ FINSYNC_REPLICAS: 'gateway=3' });
    const gateway = plan.processes.find((p) => p.spec.name === 'gateway')!;
    expect(gateway.instances).toBe(3);
    expect([1, 2, 3].map((n) => gateway.spec.env(n).FINSYNC_GATEWAY_PORT)).toEqual(['4000', '5000', '6000']);
    expect(plan.processes.filter((p) => p.instances > 1).map((p) => p.spec.name)).toEqual(['gateway']);
  });

  it('gives every instance of every process its own scrape port: base + 200 + k, + 1000 · (n − 1)', () => {
    const plan = planLaunch({ FINSYNC_REPLICAS: 'gateway=2' });
    const ports = plan.processes.flatMap(({ spec, instances }) =>
      Array.from({ length: instances }, (_, i) => [`${spec.name}-${i + 1}`, spec.env(i + 1).FINSYNC_METRICS_PORT]),
    );
    expect(Object.fromEntries(ports)).toEqual({
      'cdc-1': '4201',
      'vendors-1': '4211',
      'invoices-1': '4212',
      'payments-1': '4213',
      'journals-1': '4214',
      'reconciliation-1': '4215',
      'postings-1': '4216',
      'gateway-1': '4200',
      'gateway-2': '5200',
      'posting-1': '4202',
      'flows-1': '4203',
    });
  });

  it('runs several CDC consumers and posting workers, each under its own name', () => {
    const plan = planLaunch({ FINSYNC_REPLICAS: 'cdc=3,posting=2' });
    expect(plan.processes.filter((p) => p.instances > 1).map((p) => [p.spec.name, p.instances])).toEqual([
      ['cdc', 3],
      ['posting', 2],
    ]);
    const posting = plan.processes.find((p) => p.spec.name === 'posting')!.spec;
    expect([1, 2].map((n) => posting.env(n).FINSYNC_WORKER_ID)).toEqual(['posting-1', 'posting-2']);
  });

  it('keeps an explicit port of one process', () => {
    const plan = planLaunch({ FINSYNC_INVOICES_PORT: '9102' });
    expect(plan.processes.find((p) => p.spec.name === 'invoices')!.spec.env(1)).toMatchObject({
      FINSYNC_INVOICES_PORT: '9102',
    });
    expect(plan.processes.find((p) => p.spec.name === 'gateway')!.spec.env(1).FINSYNC_INVOICES_URL).toBe(
      'http://127.0.0.1:9102/graphql',
    );
  });

  it.each([
    ['FINSYNC_REPLICAS', 'vendors=2', 'FINSYNC_REPLICAS: vendors runs as one instance for now'],
    ['FINSYNC_REPLICAS', 'flows=2', 'FINSYNC_REPLICAS: flows runs as one instance for now'],
    ['FINSYNC_REPLICAS', 'ledger=2', 'FINSYNC_REPLICAS: "ledger=2" is not <process>=<count>'],
    ['FINSYNC_REPLICAS', 'gateway=0', 'FINSYNC_REPLICAS: gateway needs at least one instance'],
    ['FINSYNC_PORT_BASE', 'http', 'FINSYNC_PORT_BASE: "http" is not a port'],
  ])('refuses %s=%s, saying why', (variable, value, message) => {
    expect(() => planLaunch({ [variable]: value })).toThrow(message);
  });
});
