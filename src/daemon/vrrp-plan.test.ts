import { describe, expect, it } from 'vitest';
import { pinnedHost, readConfig } from '../config/index.js';
import { memoryFs } from '../testing/memory-fs.js';
import { planVrrp } from './vrrp-plan.js';

const SEED = `
global_defs {
  router_id c5
  vrrp_mcast_group4 224.0.100.100
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 5
  priority 80
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass 123456
  }
  virtual_ipaddress {
    192.0.2.100/24 dev eth0 label eth0:0
  }
}
`;

function plan(text: string, addresses: Record<string, string[]> = { eth0: ['192.0.2.100', '192.0.2.12'], eth1: ['198.51.100.2'] }) {
  const r = readConfig({ path: '/k.conf', configId: 'n', cwd: '/', fs: memoryFs({ '/k.conf': text }), host: pinnedHost({ interfaces: ['lo', 'eth0', 'eth1'] }) });
  return planVrrp(r.config, {
    primaryAddress: (ifname, family, exclude) => (addresses[ifname] ?? []).filter((a) => a.includes(':') === (family === 6) && !exclude.has(a))[0],
  });
}

describe('planVrrp', () => {
  it('maps the seed director: family, group, PASS auth, VIPs, primary address (never a VIP), own interface tracked', () => {
    const p = plan(SEED);
    expect(p.problems).toEqual([]);
    expect(p.instances).toHaveLength(1);
    const [i] = p.instances;
    expect(i).toMatchObject({ name: 'VI_1', interface: 'eth0', family: 4, mcastGroup: '224.0.100.100', unicastPeers: [] });
    expect(i?.driver).toMatchObject({
      vrid: 5,
      priority: 80,
      initialState: 'BACKUP',
      advertIntervalMs: 1000,
      primaryAddress: '192.0.2.12',
      vips: ['192.0.2.100'],
      auth: { type: 'pass', password: '123456' },
      nopreempt: false,
    });
    expect(i?.driver.trackers).toEqual([{ id: 'interface:eth0', kind: 'interface', weight: 0 }]);
    expect(p.interfaces).toEqual(['eth0']);
  });

  it('takes unicast peers, the configured source, mcast_dst_ip and dont_track_primary', () => {
    const p = plan(
      SEED.replace(
        'advert_int 1',
        'advert_int 1\n  unicast_src_ip 192.0.2.12\n  unicast_peer {\n    192.0.2.11\n  }\n  dont_track_primary\n  nopreempt',
      ),
    );
    const [i] = p.instances;
    expect(i?.unicastPeers).toEqual(['192.0.2.11']);
    expect(i?.driver.primaryAddress).toBe('192.0.2.12');
    expect(i?.driver.nopreempt).toBe(true);
    expect(i?.driver.trackers).toEqual([]);
  });

  it('turns track_interface into trackers and sync groups into member lists', () => {
    const text = `${SEED.replace('advert_int 1', 'advert_int 1\n  track_interface {\n    eth1 weight -20\n  }')}
vrrp_instance VI_2 {
  interface eth1
  virtual_router_id 6
  priority 80
  virtual_ipaddress {
    198.51.100.100
  }
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
}
`;
    const p = plan(text);
    expect(p.groups).toEqual([expect.objectContaining({ name: 'G1', members: ['VI_1', 'VI_2'] })]);
    expect(p.instances.map((i) => i.syncGroup)).toEqual(['G1', 'G1']);
    // keepalived: in a sync group without sync_group_tracking_weight a tracker's weight is ignored (0: FAULT).
    expect(p.instances[0]?.driver.trackers).toEqual([
      { id: 'interface:eth1', kind: 'interface', weight: 0, isReversed: false },
      { id: 'interface:eth0', kind: 'interface', weight: 0 },
    ]);
    expect(p.interfaces).toEqual(['eth1', 'eth0']);
  });

  it('reports an instance it cannot run instead of guessing a source address', () => {
    const p = plan(SEED, { eth0: ['192.0.2.100'] });
    expect(p.instances).toEqual([]);
    expect(p.problems).toEqual(['(VI_1) no IPv4 address on eth0']);
  });
});
