import { describe, expect, it } from 'vitest';
import { pinnedHost, readConfig, type Config } from '../config/index.js';
import type { IpAddress } from '../config/schema/address.js';
import type { LinkFacts } from '../net/addresses.js';
import { VrrpChannel, type ChannelHandlers } from '../net/vrrp-channel.js';
import { FakeScriptRunner } from '../testing/fake-script-runner.js';
import { ManualClock } from '../testing/manual-clock.js';
import { memoryFs } from '../testing/memory-fs.js';
import type { ProcessInfo } from '../track/process-match.js';
import type { Advert } from '../vrrp/advert.js';
import { masterDownMs } from '../vrrp/timing.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import { createLogger } from './logger.js';
import { createTrackerPort } from './tracker-port.js';
import { VrrpDaemon, type TrackerPort } from './vrrp-daemon.js';

// VrrpDaemon with every port faked: a ManualClock, `ip` and GARP that record, a notify port that
// records, channels over a RawIo that sends nowhere (tests call the channel's handlers directly).

const DOWN_100 = masterDownMs(100, 1_000);

const instance = (name: string, vrid: number, extra = '', iface = 'eth0'): string => `
vrrp_instance ${name} {
  interface ${iface}
  virtual_router_id ${vrid}
  dont_track_primary
${extra}
  virtual_ipaddress {
    192.0.2.${vrid}/24
  }
}
`;

const PROCESS = `
vrrp_track_process web {
  process nginx
  quorum 1
}
`;

function config(text: string): Config {
  const r = readConfig({ path: '/k.conf', configId: 'n', cwd: '/', fs: memoryFs({ '/k.conf': text }), host: pinnedHost({ interfaces: ['lo', 'eth0', 'eth1'] }) });
  expect(r.diagnostics).toEqual([]);
  return r.config;
}

const LINKS: LinkFacts[] = [
  { name: 'eth0', ifindex: 2, addresses: [{ address: '192.0.2.2', prefix: 24, family: 'inet', scope: 'global' }] },
  { name: 'eth1', ifindex: 3, addresses: [{ address: '198.51.100.2', prefix: 24, family: 'inet', scope: 'global' }] },
];

/** A promise the test settles. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function harness(trackers: TrackerPort) {
  const clock = new ManualClock();
  const events: string[] = [];
  const handlers = new Map<string, ChannelHandlers>();
  let addGate: Promise<void> | undefined;
  const deps = {
    log: createLogger({ isDetailed: false, isConsole: false, destination: { write: () => {} } }),
    clock,
    addresses: {
      links: async () => LINKS,
      add: async (a: IpAddress) => {
        await addGate;
        events.push(`add ${a.address}`);
      },
      del: async (a: IpAddress) => void events.push(`del ${a.address}`),
    },
    garp: { send: async () => {} },
    notify: {
      instance: async (p: { name: string }, state: string, priority: number) => void events.push(`notify ${p.name} ${state} ${priority}`),
      group: async (name: string, state: string) => void events.push(`notify group ${name} ${state}`),
      priority: (p: { name: string }, state: string, priority: number) => void events.push(`priority ${p.name} ${state} ${priority}`),
      masterRxLowerPri: async () => {},
      close: async () => {},
    },
    trackers,
    openChannel: (options: ConstructorParameters<typeof VrrpChannel>[1] & { ifname: string }, h: ChannelHandlers) => {
      handlers.set(`${options.ifname}/${handlers.size}`, h);
      return new VrrpChannel({ send: () => {}, start: () => {}, close: () => {} }, options, h);
    },
  };
  /** The channel handlers of the n-th instance, in configuration order. */
  const channel = (n: number): ChannelHandlers => {
    const h = [...handlers.values()][n];
    if (h === undefined) throw new Error(`no channel ${n}`);
    return h;
  };
  return { clock, events, deps, channel, holdAdds: (p: Promise<void> | undefined) => void (addGate = p) };
}

const NO_TRACKERS = { ready: Promise.resolve(), stop: () => {} };

/** Lets queued promise callbacks run; no time passes on any clock. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The real tracker port over a fixed process list. */
function processPort(processes: ProcessInfo[]): TrackerPort {
  const log = createLogger({ isDetailed: false, isConsole: false, destination: { write: () => {} } });
  return (plan, report) =>
    createTrackerPort({ log, clock: new ManualClock(), runScript: new FakeScriptRunner().run, listProcesses: async () => processes })(plan, report);
}

describe('VrrpDaemon: trackers at start-up', () => {
  it('keepalived compat: a weight-0 tracked process that is down at start puts the instance in FAULT from the beginning', async () => {
    const h = harness(processPort([]));
    const d = await VrrpDaemon.start(h.deps, config(PROCESS + instance('VI_1', 51, '  track_process {\n    web\n  }')));
    await settle();
    expect(d.state('VI_1').state).toBe('FAULT');
    h.clock.advance(10_000);
    expect(d.state('VI_1').state).toBe('FAULT');
    expect(h.events).toEqual(['notify VI_1 FAULT 100']);
    await d.stop();
  });

  it('keepalived compat: a down process with a negative weight lowers the priority from the beginning', async () => {
    const h = harness(processPort([]));
    const d = await VrrpDaemon.start(h.deps, config(PROCESS + instance('VI_1', 51, '  track_process {\n    web weight -20\n  }')));
    await settle();
    expect(d.state('VI_1')).toMatchObject({ state: 'BACKUP', effectivePriority: 80 });
    expect(h.events).toEqual(['notify VI_1 BACKUP 80']);
    await d.stop();
  });

  it('keepalived compat: start() waits for the first observations, so a link reported down later still counts from the start', async () => {
    const first = gate();
    let stopped = 0;
    const h = harness((_, report) => ({
      ready: first.promise.then(() => report('interface:eth1', { type: 'down' })),
      stop: () => void stopped++,
    }));
    const starting = VrrpDaemon.start(h.deps, config(instance('VI_1', 51, '  track_interface {\n    eth1\n  }')));
    await settle();
    first.open();
    const d = await starting;
    await settle();
    expect(d.state('VI_1').state).toBe('FAULT');
    expect(h.events).toEqual(['notify VI_1 FAULT 100']);
    await d.stop();
    expect(stopped).toBe(1);
  });

  it('a process that is running at start leaves the instance alone', async () => {
    const h = harness(processPort([{ comm: 'nginx', cmdline: '/usr/sbin/nginx\0' }]));
    const d = await VrrpDaemon.start(h.deps, config(PROCESS + instance('VI_1', 51, '  track_process {\n    web\n  }')));
    expect(d.state('VI_1')).toMatchObject({ state: 'BACKUP', effectivePriority: 100 });
    await d.stop();
  });
});

describe('VrrpDaemon: notifications', () => {
  it('a priority change waits behind the instance notification queued before it', async () => {
    let report: (id: string, status: TrackerStatus) => void = () => {};
    const h = harness((_, r) => {
      report = r;
      return NO_TRACKERS;
    });
    const d = await VrrpDaemon.start(h.deps, config(PROCESS + instance('VI_1', 51, '  notify_priority_changes\n  track_process {\n    web weight -20\n  }')));
    await settle();
    const adds = gate();
    h.holdAdds(adds.promise);
    h.clock.advanceTo(DOWN_100); // MASTER: VIPs (held up), GARP, notify MASTER are queued
    report('process:web', { type: 'down' });
    adds.open();
    await settle();
    expect(h.events).toEqual(['notify VI_1 BACKUP 100', 'add 192.0.2.51', 'notify VI_1 MASTER 100', 'priority VI_1 MASTER 80']);
    await d.stop();
  });

  it('keepalived compat: start and SIGTERM notify sync groups and instances in keepalived order', async () => {
    const text = `vrrp_sync_group G {\n  group {\n    VI_2\n    VI_3\n  }\n}\n${instance('VI_1', 51)}${instance('VI_2', 52)}${instance('VI_3', 53)}`;
    const h = harness(() => NO_TRACKERS);
    const d = await VrrpDaemon.start(h.deps, config(text));
    await settle();
    expect(h.events).toEqual(['notify group G BACKUP', 'notify VI_1 BACKUP 100', 'notify VI_2 BACKUP 100', 'notify VI_3 BACKUP 100']);
    h.events.length = 0;
    await d.stop();
    expect(h.events).toEqual(['notify VI_1 STOP 100', 'notify VI_2 STOP 100', 'notify VI_3 STOP 100', 'notify group G STOP']);
  });
});

describe('VrrpDaemon: received adverts', () => {
  const advert = (over: Partial<Advert> = {}): Advert => ({
    version: 2,
    family: 4,
    vrid: 51,
    priority: 200,
    advertIntervalMs: 1_000,
    addresses: ['192.0.2.51'],
    auth: { type: 'none' },
    ...over,
  });

  const received = (stats: string, instanceName: string): string[] => {
    const block = stats.split('VRRP Instance: ').find((b) => b.startsWith(`${instanceName}\n`)) ?? '';
    return block.split('\n').filter((l) => /Received|Mismatch|Address List/.test(l)).map((l) => l.trim());
  };

  it("count into the channel's own instance (same VRID on another interface), with the state machine's discard reason, and not after stop", async () => {
    const h = harness(() => NO_TRACKERS);
    const d = await VrrpDaemon.start(h.deps, config(instance('VI_1', 51) + instance('VI_2', 51, '', 'eth1')));
    h.channel(0).onAdvert(advert(), '192.0.2.9', 255);
    h.channel(0).onAdvert(advert({ auth: { type: 'pass', password: 'x' } }), '192.0.2.9', 255);
    h.channel(0).onAdvert(advert({ priority: 0 }), '192.0.2.9', 255);
    h.channel(0).onAdvert(advert({ vrid: 52 }), '192.0.2.9', 255);
    expect(received(d.statsText(), 'VI_1')).toEqual(['Received: 2', 'Address List: 0', 'Type Mismatch: 1', 'Received: 1']);
    expect(received(d.statsText(), 'VI_2')).toEqual(['Received: 0', 'Address List: 0', 'Type Mismatch: 0', 'Received: 0']);
    await d.stop();
    h.channel(1).onAdvert(advert(), '192.0.2.9', 255);
    expect(received(d.statsText(), 'VI_2')[0]).toBe('Received: 0');
  });
});
