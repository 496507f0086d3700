import { describe, expect, it } from 'vitest';
import { editDistance, suggestKeyword } from './suggest.js';

const blocks = new Map<string, readonly string[]>([
  ['top level', ['global_defs', 'vrrp_script', 'vrrp_instance', 'vrrp_sync_group', 'virtual_server', 'bfd_instance']],
  ['global_defs', ['router_id', 'vrrp_garp_master_delay', 'vrrp_strict', 'notification_email', 'smtp_server']],
  ['vrrp_instance', ['state', 'interface', 'priority', 'advert_int', 'garp_master_delay', 'virtual_router_id', 'track_script']],
  ['vrrp_script', ['script', 'interval', 'weight', 'fall', 'rise']],
  ['virtual_server', ['delay_loop', 'lb_algo', 'lb_kind', 'lvs_sched', 'lvs_method', 'real_server', 'retry']],
  ['real_server', ['weight', 'retry', 'delay_before_retry', 'HTTP_GET', 'TCP_CHECK', 'notify_up']],
  ['HTTP_GET', ['url', 'retry', 'nb_get_retry', 'connect_timeout']],
]);
const hint = (block: string, word: string) => suggestKeyword(block, word, blocks.get(block) ?? [], blocks);

describe('suggestKeyword', () => {
  it.each<[string, string, string | undefined]>([
    [
      'real_server',
      'nb_get_retry',
      "did you mean 'retry'? ('nb_get_retry' is its old name and is only valid inside HTTP_GET/SSL_GET)",
    ],
    ['virtual_server', 'lb-kind', "'lb-kind' is spelled 'lb_kind'"],
    ['top level', 'vvrp_script', "did you mean 'vrrp_script'?"],
    ['vrrp_instance', 'Priority', "keywords are case-sensitive: 'Priority' is spelled 'priority'"],
    ['real_server', 'tcp_check', "keywords are case-sensitive: 'tcp_check' is spelled 'TCP_CHECK'"],
    ['top level', 'delay_loop', "'delay_loop' belongs in virtual_server, not at top level"],
    ['vrrp_instance', 'delay_loop', "'delay_loop' belongs in virtual_server, not vrrp_instance"],
    ['top level', 'weight', "'weight' belongs in vrrp_script, real_server, not at top level"],
    [
      'vrrp_instance',
      'vrrp_garp_master_delay',
      "'vrrp_garp_master_delay' belongs in global_defs; vrrp_instance has 'garp_master_delay'",
    ],
    ['global_defs', 'lvs_id', "did you mean 'router_id'? ('lvs_id' is the keepalived 1.x name, removed since)"],
    ['virtual_server', 'nat_mask', "'nat_mask' is a keepalived 1.x virtual_server keyword that 2.2.7 no longer has; delete it"],
    [
      'global_defs',
      'vrrp_ipsets',
      "'vrrp_ipsets' needs keepalived built with ipset support; Debian's 2.2.7 is built with nftables only; use 'nftables'",
    ],
    ['vrrp_instance', 'no_virtual_ipaddress', "'no_virtual_ipaddress' was added to keepalived after 2.2.7; 2.2.7 (and this reader) does not know it"],
    ['global_defs', 'notificationd', undefined],
    ['global_defs', 'rooter_id', "did you mean 'router_id'?"],
    ['vrrp_instance', 'virtual_ipaddres', undefined],
    ['top level', '}', "a '}' with no block open: a block above lacks its '{' or has one '}' too many"],
    ['top level', '{', undefined],
    ['top level', 'if', undefined],
    ['top level', 'xyzzy_plugh', undefined],
    ['vrrp_script', 'intervall', "did you mean 'interval'?"],
    ['global_defs', 'vrrp_grap_interval', undefined],
  ])('%s: %s', (block, word, want) => {
    expect(hint(block, word)).toBe(want);
  });

  it('offers a typo fix from another block, saying where it belongs', () => {
    expect(hint('vrrp_instance', 'delay_lop')).toBe("did you mean 'delay_loop'? (a keyword of virtual_server, not vrrp_instance)");
  });

  it('lists two equally close candidates', () => {
    expect(suggestKeyword('b', 'rate', ['rake', 'race'], new Map())).toBe("did you mean 'race' or 'rake'?");
  });

  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'acb', 1],
    ['kitten', 'sitting', 3],
    ['vvrp', 'vrrp', 1],
  ])('editDistance(%j, %j) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});
