import { describe, expect, it } from 'vitest';
import { memoryFs } from '../../testing/memory-fs.js';
import { pinnedHost, readConfig } from '../index.js';
import type { Config, HostFacts } from '../index.js';

const PATH = '/etc/keepalived/keepalived.conf';
const read = (text: string, host: HostFacts = pinnedHost({ nodeName: 'node1.example.com' })) =>
  readConfig({ path: PATH, configId: 'node1', cwd: '/', fs: memoryFs({ [PATH]: text }), host });
/** Counted messages (not log-only) as [line, text]. */
const errors = (text: string, host?: HostFacts) =>
  read(text, host)
    .diagnostics.filter((d) => d.severity !== 'log')
    .map((d) => [d.loc?.line, d.message]);
const inGlobal = (...lines: string[]) => `global_defs {\n${lines.join('\n')}\n}\n`;
const global = (...lines: string[]) => read(inGlobal(...lines)).config.global;

describe('global_defs defaults (keepalived: alloc_global_data)', () => {
  const g = global();
  it.each<[keyof Config['global'], unknown]>([
    ['routerId', 'node1.example.com'],
    ['smtpConnectTimeoutMs', 30000],
    ['vrrpVersion', 2],
    ['vrrpMcastGroup4', '224.0.0.18'],
    ['vrrpMcastGroup6', 'ff02::12'],
    ['vrrpGarpMasterDelayS', 5],
    ['vrrpGarpMasterRepeat', 5],
    ['vrrpGarpMasterRefreshS', 0],
    ['vrrpGarpMasterRefreshRepeat', 1],
    ['vrrpGarpLowerPrioDelayS', undefined],
    ['vrrpDownTimerAdverts', 3],
    ['vrrpStrict', false],
    ['defaultInterface', 'eth0'],
    ['maxAutoPriority', 0],
    ['minAutoPriorityDelayUs', 1000000],
    ['vrrpRxBufsMultiplier', 3],
    ['vrrpNftablesPriority', -1],
    ['ipvsNftablesStartFwmark', 1000],
    ['dbusServiceName', 'org.keepalived.Vrrp1'],
    ['childWaitTimeS', 5],
    ['smtpAlert', undefined],
    ['lvsFlushOnStop', 'off'],
    ['notificationEmail', []],
  ])('%s = %j', (key, want) => {
    expect(g[key]).toEqual(want);
  });
  it('is clean', () => {
    expect(read(inGlobal()).exitCode).toBe(0);
  });
});

describe('global_defs values', () => {
  it.each<[string, (g: Config['global']) => unknown, unknown]>([
    ['router_id LVS_DEVEL', (g) => g.routerId, 'LVS_DEVEL'],
    ['router_id ""', (g) => g.routerId, ''],
    ['notification_email {\n a@x\n b@x c@x\n}', (g) => g.notificationEmail, ['a@x', 'b@x', 'c@x']],
    ['notification_email_from ka@x', (g) => g.notificationEmailFrom, 'ka@x'],
    ['smtp_server 10.0.0.1', (g) => g.smtpServer, { host: '10.0.0.1', address: '10.0.0.1', port: 25 }],
    ['smtp_server 10.0.0.1 2525', (g) => g.smtpServer?.port, 2525],
    ['smtp_server localhost', (g) => g.smtpServer?.address, '127.0.0.1'],
    ['smtp_server 10.0.0.1', (g) => g.smtpHeloName, 'node1.example.com'],
    ['smtp_helo_name me', (g) => g.smtpHeloName, 'me'],
    ['smtp_connect_timeout 7', (g) => g.smtpConnectTimeoutMs, 7000],
    ['smtp_alert', (g) => g.smtpAlert, true],
    ['smtp_alert off', (g) => g.smtpAlert, false],
    ['smtp_alert_vrrp no', (g) => g.smtpAlertVrrp, false],
    ['smtp_alert_checker yes', (g) => g.smtpAlertChecker, true],
    ['checker_log_all_failures', (g) => g.checkerLogAllFailures, true],
    ['no_email_faults', (g) => g.noEmailFaults, true],
    ['max_auto_priority', (g) => g.maxAutoPriority, 99],
    ['max_auto_priority -1', (g) => g.maxAutoPriority, -1],
    ['min_auto_priority_delay 500', (g) => g.minAutoPriorityDelayUs, 500],
    ['dynamic_interfaces', (g) => [g.dynamicInterfaces, g.dynamicInterfacesAllowIfChanges], [true, false]],
    ['dynamic_interfaces allow_if_changes', (g) => g.dynamicInterfacesAllowIfChanges, true],
    ['default_interface bond0', (g) => g.defaultInterface, 'bond0'],
    ['vrrp_mcast_group4 224.0.0.19', (g) => g.vrrpMcastGroup4, '224.0.0.19'],
    ['vrrp_mcast_group6 ff02::13', (g) => g.vrrpMcastGroup6, 'ff02::13'],
    ['vrrp_garp_master_delay 0', (g) => g.vrrpGarpMasterDelayS, 0],
    ['vrrp_garp_master_repeat 3', (g) => g.vrrpGarpMasterRepeat, 3],
    ['vrrp_garp_master_refresh 60', (g) => g.vrrpGarpMasterRefreshS, 60],
    ['vrrp_garp_master_refresh_repeat 2', (g) => g.vrrpGarpMasterRefreshRepeat, 2],
    ['vrrp_garp_lower_prio_delay 9', (g) => g.vrrpGarpLowerPrioDelayS, 9],
    ['vrrp_garp_lower_prio_repeat 0', (g) => g.vrrpGarpLowerPrioRepeat, 0],
    ['vrrp_garp_interval 0.001', (g) => g.vrrpGarpIntervalUs, 1000],
    ['vrrp_gna_interval 0.000001', (g) => g.vrrpGnaIntervalUs, 1],
    ['vrrp_garp_extra_if all 30', (g) => [g.vrrpGarpExtraIfAll, g.vrrpGarpExtraIfS], [true, 30]],
    ['vrrp_down_timer_adverts 100', (g) => g.vrrpDownTimerAdverts, 100],
    ['vrrp_lower_prio_no_advert', (g) => g.vrrpLowerPrioNoAdvert, true],
    ['vrrp_higher_prio_send_advert false', (g) => g.vrrpHigherPrioSendAdvert, false],
    ['vrrp_version 3', (g) => g.vrrpVersion, 3],
    ['nftables', (g) => g.vrrpNftables, 'keepalived'],
    ['nftables mytable', (g) => g.vrrpNftables, 'mytable'],
    ['nftables_priority -5', (g) => g.vrrpNftablesPriority, -5],
    ['nftables_ifindex', (g) => g.vrrpNftablesIfindex, true],
    ['nftables_counters', (g) => g.nftablesCounters, true],
    ['nftables_ipvs', (g) => g.ipvsNftables, 'keepalived_ipvs'],
    ['nftables_ipvs_start_fwmark 7', (g) => g.ipvsNftablesStartFwmark, 7],
    ['vrrp_check_unicast_src', (g) => g.vrrpCheckUnicastSrc, true],
    ['vrrp_skip_check_adv_addr', (g) => g.vrrpSkipCheckAdvAddr, true],
    ['vrrp_strict', (g) => g.vrrpStrict, true],
    ['vrrp_priority -20', (g) => g.vrrpProcess.priority, -20],
    ['checker_no_swap', (g) => g.checkerProcess.noSwap, true],
    ['bfd_rt_priority 50', (g) => g.bfdProcess.rtPriority, 50],
    ['vrrp_cpu_affinity 0 1 1', (g) => g.vrrpProcess.cpuAffinity, [0, 1]],
    ['vrrp_rlimit_rttime 1', (g) => g.vrrpProcess.rlimitRttimeUs, 2],
    ['checker_rlimit_rtime 500', (g) => g.checkerProcess.rlimitRttimeUs, 500],
    ['process_names', (g) => g.checkerProcess.name, 'keepalived_lvs'],
    ['process_name ka', (g) => g.processName, 'ka'],
    ['lvs_process_name lvs', (g) => g.checkerProcess.name, 'lvs'],
    ['notify_fifo /run/ka.fifo', (g) => g.notifyFifo.path, '/run/ka.fifo'],
    ['vrrp_notify_fifo /run/v.fifo root', (g) => [g.vrrpNotifyFifo.path, g.vrrpNotifyFifo.user], ['/run/v.fifo', 'root']],
    ['vrrp_notify_priority_changes', (g) => g.vrrpNotifyPriorityChanges, true],
    ['fifo_write_vrrp_states_on_reload', (g) => g.fifoWriteVrrpStatesOnReload, true],
    ['lvs_timeouts tcp 10 tcpfin 20 udp 30', (g) => g.lvsTimeouts, { tcpS: 10, tcpfinS: 20, udpS: 30 }],
    ['lvs_flush', (g) => g.lvsFlush, true],
    ['lvs_flush_on_stop', (g) => g.lvsFlushOnStop, 'full'],
    ['lvs_flush_onstop VS', (g) => g.lvsFlushOnStop, 'vs'],
    [
      'lvs_sync_daemon eth0 inst VI_1 id 5 maxlen 1400 port 8848 ttl 2 group 224.0.0.81',
      (g) => g.lvsSyncDaemon,
      {
        interface: 'eth0',
        vrrpInstance: 'VI_1',
        syncId: 5,
        maxLen: 1400,
        port: 8848,
        ttl: 2,
        group: { family: 4, address: '224.0.0.81' },
      },
    ],
    ['rs_init_notifies', (g) => g.rsInitNotifies, true],
    ['no_checker_emails on', (g) => g.noCheckerEmails, true],
    ['enable_snmp_keepalived', (g) => g.enableSnmpVrrp, true],
    ['enable_snmp_rfc', (g) => [g.enableSnmpRfcv2, g.enableSnmpRfcv3], [true, true]],
    ['enable_snmp_checker', (g) => g.enableSnmpChecker, true],
    ['enable_traps', (g) => g.enableTraps, true],
    ['snmp_socket tcp:localhost:705', (g) => g.snmpSocket, 'tcp:localhost:705'],
    ['enable_dbus', (g) => g.enableDbus, true],
    ['dbus_service_name org.x', (g) => g.dbusServiceName, 'org.x'],
    ['script_user root', (g) => g.scriptUser, { user: 'root' }],
    ['enable_script_security', (g) => g.enableScriptSecurity, true],
    ['vrrp_netlink_cmd_rcv_bufs 1024', (g) => g.vrrpNetlinkCmdRcvBufs.size, 1024],
    ['lvs_netlink_monitor_rcv_bufs_force', (g) => g.lvsNetlinkMonitorRcvBufs.force, true],
    ['process_monitor_rcv_bufs 0', (g) => g.processMonitorRcvBufs.size, 0],
    ['vrrp_rx_bufs_policy mtu', (g) => g.vrrpRxBufsPolicy, { mtu: true, advert: false }],
    ['vrrp_rx_bufs_policy 4096', (g) => g.vrrpRxBufsPolicy.size, 4096],
    ['vrrp_rx_bufs_multiplier 4', (g) => g.vrrpRxBufsMultiplier, 4],
    ['vrrp_startup_delay 1.5', (g) => g.vrrpStartupDelayUs, 1500000],
    ['log_unknown_vrids', (g) => g.logUnknownVrids, true],
    ['vmac_prefix vm', (g) => g.vmacPrefix, 'vm'],
    ['vmac_addr_prefix va', (g) => g.vmacAddrPrefix, 'va'],
    ['umask 0022', (g) => g.umask, 0o22],
    ['umask 0x12', (g) => g.umask, 0x12],
    ['umask IWGRP|IWOTH', (g) => g.umask, 0o22],
    ['umask IWGRP | IWOTH', (g) => g.umask, 0o22],
    ['random_seed 42', (g) => g.randomSeed, 42],
    ['reload_check_config', (g) => g.reloadCheckConfig, '/dev/null'],
    ['reload_time_file /tmp/t', (g) => g.reloadTimeFile, '/tmp/t'],
    ['reload_repeat', (g) => g.reloadRepeat, true],
    ['reload_file', (g) => g.reloadFile, 'default'],
    ['include_check read +match', (g) => g.includeCheck, ['read', '+match']],
    ['config_save_dir /var/save/', (g) => g.configSaveDir, '/var/save'],
    ['tmp_config_directory /tmp/ka', (g) => g.tmpConfigDirectory, '/tmp/ka'],
    ['data_use_instance', (g) => g.dataUseInstance, true],
  ])('%s', (line, get, want) => {
    const r = read(inGlobal(line));
    expect(r.diagnostics.filter((d) => d.severity !== 'log')).toEqual([]);
    expect(get(r.config.global)).toEqual(want);
  });
});

describe('global_defs bad values (messages and lines as keepalived -t prints them)', () => {
  it.each<[string, (string | number)[][]]>([
    ['router_id', [[2, 'routerid name missing - ignoring']]],
    ['notification_email_from', [[2, 'emailfrom missing - ignoring']]],
    ['smtp_server nosuch.invalid', [[2, 'Invalid smtp server nosuch.invalid 25']]],
    ['smtp_connect_timeout x', [[2, "invalid number 'x'"], [2, "smtp_connect_timeout 'x' must be in [0, 4294] - ignoring"]]],
    ['smtp_alert TRUE', [[2, "Invalid value 'TRUE' for global smtp_alert specified"]]],
    ['checker_log_all_failures 1', [[2, 'Invalid value for checker_log_all_failures specified']]],
    ['startup_script_timeout 0', [[2, "number '0' outside range [1, 1000]"], [2, "startup_script_timeout '0' must be in [1, 1000] - ignoring"]]],
    ['shutdown_script_timeout', [[2, 'shutdown_script_timeout requires value']]],
    ['min_auto_priority_delay', [[2, 'min_auto_priority_delay requires delay time']]],
    ['default_interface', [[2, 'default_interface requires interface name']]],
    ['vrrp_mcast_group4 foo', [[2, "Can't parse vrrp_mcast_group4 [foo]. Skipping"]]],
    ['vrrp_mcast_group4 ff02::1', [[2, 'vrrp_mcast_group4 [ff02::1] is not IPv4. Skipping']]],
    ['vrrp_mcast_group6 fe80::1', [[2, 'vrrp_mcast_group6 [fe80::1] is not multicast. Skipping']]],
    ['vrrp_garp_master_repeat 0', [[2, 'vrrp_garp_master_repeat must be greater than 0, setting to 1']]],
    ['vrrp_garp_master_refresh -1', [[2, "negative number '-1'"], [2, "Invalid vrrp_garp_master_refresh '-1' - ignoring"]]],
    ['vrrp_garp_lower_prio_repeat x', [[2, "invalid number 'x'"], [2, "Invalid vrrp_garp_lower_prio_repeat 'x'"]]],
    ['vrrp_down_timer_adverts 101', [[2, "number '101' outside range [1, 100]"], [2, "Invalid vrrp_down_timer_adverts [1:100] '101'"]]],
    ['vrrp_gna_interval 0', [[2, "number '0' outside range [0.000001, 4294.967295]"], [2, "vrrp_gna_interval '0' is invalid"]]],
    ['vrrp_min_garp maybe', [[2, 'Invalid value for vrrp_min_garp specified']]],
    ['vrrp_garp_extra_if 0', [[2, "number '0' outside range [1, 86400]"], [2, "vrrp_garp_extra_if '0' invalid - ignoring"]]],
    ['vrrp_lower_prio_no_advert 2', [[2, 'Invalid value for vrrp_lower_prio_no_advert specified']]],
    ['vrrp_version 4', [[2, "number '4' outside range [2, 3]"], [2, 'VRRP Error: Version must be either 2 or 3']]],
    ['nftables_priority x', [[2, "invalid number 'x'"], [2, "invalid nftables chain priority 'x'"]]],
    ['nftables_ipvs_start_fwmark 0', [[2, "number '0' outside range [1, 4294967295]"], [2, "invalid ipvs nftables start_fwmark priority '0'"]]],
    ['vrrp_priority 20', [[2, "number '20' outside range [-20, 19]"], [2, 'Invalid vrrp process priority specified']]],
    ['checker_priority', [[2, 'No checker process priority specified']]],
    ['bfd_rt_priority 0', [[2, 'bfd process real-time priority 0 less than minimum 1 - setting to minimum']]],
    ['vrrp_rt_priority', [[2, 'No vrrp process real-time priority specified']]],
    ['vrrp_cpu_affinity', [[2, 'No vrrp cpu_id set specified']]],
    ['vrrp_rlimit_rttime 0', [[2, "number '0' outside range [1, 4294967295]"], [2, 'Invalid vrrp real-time limit - 0']]],
    ['notify_fifo', [[2, 'No notify_fifo name specified']]],
    ['notify_fifo /a\n notify_fifo /b', [[3, 'notify_fifo already specified - ignoring /b']]],
    ['lvs_notify_fifo_script', [[2, 'No lvs_notify_fifo_script specified']]],
    ['vrrp_notify_priority_changes x', [[2, "Invalid value 'x' for global vrrp_notify_priority_changes specified"]]],
    ['lvs_timeouts tcp', [[2, 'lvs_timeouts requires at least one option']]],
    ['lvs_timeouts tcp 2678401', [[2, "number '2678401' outside range [0, 2678400]"], [2, 'Invalid lvs_timeout tcp (2678401) - ignoring']]],
    ['lvs_timeouts sctp 5', [[2, 'Unknown option sctp specified for lvs_timeouts'], [2, 'Unknown option 5 specified for lvs_timeouts']]],
    ['lvs_flush_on_stop vs', [[2, 'Unknown lvs_flush_on_stop type vs']]],
    ['lvs_sync_daemon', [[2, 'lvs_sync_daemon requires interface']]],
    ['lvs_sync_daemon averyveryverylongif', [[2, "lvs_sync_daemon interface name 'averyveryverylongif' too long - ignoring"]]],
    ['lvs_sync_daemon eth0 id', [[2, 'No value specified for lvs_sync_daemon id, defaulting to vrid']]],
    ['lvs_sync_daemon eth0 id 256', [[2, "number '256' outside range [0, 255]"], [2, 'Invalid syncid (256) - defaulting to vrid']]],
    ['lvs_sync_daemon eth0 group 10.0.0.1', [[2, 'lvs_sync_daemon group address 10.0.0.1 is not multicast - ignoring']]],
    ['lvs_sync_daemon eth0 VI_1 5 x', [[2, 'Please use keyword "id" before lvs_sync_daemon SYNCID'], [2, 'Unknown option x specified for lvs_sync_daemon']]],
    ['lvs_sync_daemon eth0\n lvs_sync_daemon eth1', [[3, 'lvs_sync_daemon has already been specified as eth0  - ignoring']]],
    ['rs_init_notifies 0', [[2, "Invalid value '0' for global rs_init_notifies specified"]]],
    ['snmp_socket', [[2, 'SNMP error : snmp socket name missing']]],
    ['snmp_socket a\n snmp_socket b', [[3, 'SNMP socket already set to a - ignoring']]],
    ['dbus_service_name', [[2, 'dbus_service_name missing - ignoring']]],
    ['script_user', [[2, 'No script username specified']]],
    ['script_user nosuchuser', [[2, 'Error setting global script uid/gid']]],
    ['process_name 0123456789abcdef', [[2, 'Process name 0123456789abcdef more than 15 characters, truncating']]],
    ['vrrp_netlink_cmd_rcv_bufs', [[2, 'vrrp_netlink_cmd_rcv_bufs size missing']]],
    ['lvs_netlink_cmd_rcv_bufs x', [[2, "invalid number 'x'"], [2, 'lvs_netlink_cmd_rcv_bufs size (x) invalid']]],
    ['vrrp_netlink_monitor_rcv_bufs_force x', [[2, "Invalid value 'x' for global vrrp_netlink_monitor_rcv_bufs_force specified"]]],
    ['vrrp_rx_bufs_policy', [[2, 'vrrp_rx_bufs_policy missing']]],
    ['vrrp_rx_bufs_policy 100 MTU', [[2, 'Cannot set vrrp_rx_bufs_policy size and policy, ignoring policy']]],
    ['vrrp_rx_bufs_multiplier 0', [[2, "number '0' outside range [1, 4294967295]"], [2, 'Invalid vrrp_rx_bufs_multiplier 0']]],
    ['vrrp_startup_delay 0.0001', [[2, "number '0.0001' outside range [0.001000, 4294.967295]"], [2, "vrrp_startup_delay '0.0001' is invalid"]]],
    ['vmac_addr_prefix a\n vmac_addr_prefix b', [[3, 'vmac_addr prefix has already been specified - ignoring b']]],
    ['umask 0777 1', [[2, 'Extra parameter(s) to umask option']]],
    ['umask 01000', [[2, 'invalid umask value 01000']]],
    ['umask 08', [[2, 'invalid umask value 08']]],
    // keepalived 2.2.7 -t: strtoll's value is checked whole, not truncated to 32 bits.
    ['umask 4294967296', [[2, 'invalid umask value 4294967296']]],
    ['umask 0x100000000', [[2, 'invalid umask value 0x100000000']]],
    ['umask 9223372036854775808', [[2, 'invalid umask value 9223372036854775808']]],
    ['umask IWGRPIWOTH', [[2, 'Invalid umask syntax IWGRPIWOTH']]],
    ['umask IWGRP|', [[2, 'umask missing bit value']]],
    ['umask IWXYZ', [[2, 'Unknown umask bit IWXYZ']]],
    ['random_seed -1', [[2, "negative number '-1'"], [2, 'random_seed -1 invalid']]],
    ['reload_time_file a b', [[2, 'reload_time_file invalid']]],
    ['include_check read match', [[2, "Duplicate include_check 'match' specified - ignoring"]]],
    ['tmp_config_directory /a\n tmp_config_directory /b', [[3, 'tmp_config_directory already specified - ignoring']]],
    ['data_use_instance x', [[2, "Invalid value 'x' for global date_use_instance specified"]]],
    ['startup_script /bin/true\n startup_script /bin/false', [[3, 'startup script already specified']]],
    [
      'startup_script "/bin/true',
      [
        [2, "Unterminated quote 'startup_script \"/bin/true'"],
        [2, "Unmatched quote: 'startup_script \"/bin/true'"],
        [2, 'startup script missing'],
      ],
    ],
  ])('%s', (line, want) => {
    const host = pinnedHost({ files: { '/bin/true': {}, '/bin/false': {} } });
    const got = errors(inGlobal(line), host).filter(([, m]) => !String(m).startsWith('SECURITY VIOLATION'));
    expect(got).toEqual(want);
  });

  it.each([
    'vrrp_mcast_group4',
    'vrrp_garp_master_delay',
    'vrrp_version',
    'smtp_server',
    'process_name',
    'umask',
    'random_seed',
    'config_save_dir',
    'vmac_prefix',
    'nftables_priority',
    'vrrp_rlimit_rttime',
    'lvs_sync_daemon eth0 inst',
  ])('%s without its value stops keepalived (exit 2)', (line) => {
    const r = read(inGlobal(line, 'router_id after'));
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.at(-1)?.message).toMatch(/^\*\*\* Configuration line starting `\w+` is missing a parameter/);
    expect(r.diagnostics.at(-1)?.loc?.line).toBe(2);
  });
});

describe('top-level statements', () => {
  it.each<[string, (g: Config['global']) => unknown, unknown]>([
    ['net_namespace blue', (g) => [g.netNamespace, g.usePidDir], ['blue', true]],
    ['net_namespace_ipvs', (g) => g.netNamespaceIpvs, ''],
    ['net_namespace_ipvs red', (g) => g.netNamespaceIpvs, 'red'],
    ['namespace_with_ipsets', (g) => g.namespaceWithIpsets, true],
    ['instance i1', (g) => [g.instance, g.usePidDir], ['i1', true]],
    ['use_pid_dir', (g) => g.usePidDir, true],
    ['child_wait_time 0', (g) => g.childWaitTimeS, 0],
    ['linkbeat_use_polling', (g) => g.linkbeatUsePolling, true],
  ])('%s', (line, get, want) => {
    const r = read(`${line}\n`);
    expect(r.exitCode).toBe(0);
    expect(get(r.config.global)).toEqual(want);
  });

  it.each<[string, (string | number)[][]]>([
    ['net_namespace', [[1, 'net_namespace name missing - ignoring']]],
    ['net_namespace a\nnet_namespace b', [[2, 'Duplicate net_namespace definition b - ignoring']]],
    ['net_namespace_ipvs a\nnet_namespace_ipvs b', [[2, 'Duplicate net_namespace_ipvs definition b - ignoring']]],
    ['instance', [[1, 'instance name missing - ignoring']]],
    ['instance a\ninstance b', [[2, 'Duplicate instance definition b - ignoring']]],
    ['child_wait_time x', [[1, "invalid number 'x'"], [1, 'Invalid child_wait_time x']]],
  ])('%s', (text, want) => {
    expect(errors(`${text}\n`)).toEqual(want);
  });
});

describe('keepalived compat', () => {
  it('keepalived compat: smtp_connect_timeout 0 is accepted as 1 with its misspelt message', () => {
    const r = read(inGlobal('smtp_connect_timeout 0'));
    expect(r.diagnostics.map((d) => d.message)).toEqual(['smtp_conect_timeout must be greater than 0, setting to 1']);
    expect(r.config.global.smtpConnectTimeoutMs).toBe(1000);
  });

  it('keepalived compat: vrrp_iptables is converted to nftables with an error (Debian build)', () => {
    const r = read(inGlobal('vrrp_iptables IN OUT'));
    expect(r.exitCode).toBe(5);
    expect(r.diagnostics[0]?.message).toMatch(/^iptables not supported, using nftables instead/);
    expect(r.config.global.vrrpNftables).toBe('keepalived');
  });

  it('keepalived compat: the iptables conversion message is a fact of the build (host), not of the config', () => {
    const d = read(inGlobal('vrrp_iptables IN OUT')).diagnostics.find((x) => x.message.startsWith('iptables not supported'));
    expect(d?.host).toBe(true);
    expect(d?.loc?.line).toBe(2);
  });

  it('keepalived compat: an smtp_server name that does not resolve is a config error, not a host fact', () => {
    const d = read(inGlobal('smtp_server smtp.example.invalid')).diagnostics.find((x) => x.message.startsWith('Invalid smtp server'));
    expect(d?.message).toBe('Invalid smtp server smtp.example.invalid 25');
    expect(d?.host).toBeFalsy();
    expect(d?.kaClass).not.toBe('OK');
  });

  it('keepalived compat: vrrp_ipsets is unknown in the Debian build', () => {
    expect(errors(inGlobal('vrrp_ipsets a b'))).toEqual([[2, "Unknown keyword 'vrrp_ipsets'"]]);
  });

  it('keepalived compat: top-level statements are unknown inside global_defs', () => {
    expect(errors(inGlobal('net_namespace x', 'use_pid_dir'))).toEqual([
      [2, "Unknown keyword 'net_namespace'"],
      [3, "Unknown keyword 'use_pid_dir'"],
    ]);
  });

  it('keepalived compat: vrrp_garp_master_delay takes whole seconds only', () => {
    expect(errors(inGlobal('vrrp_garp_master_delay 1.5'))).toEqual([
      [2, "invalid number '1.5'"],
      [2, "vrrp_garp_master_delay '1.5' invalid - ignoring"],
    ]);
  });

  it('keepalived compat: vrrp_mcast_group6 outside link-local scope is only a warning', () => {
    const r = read(inGlobal('vrrp_mcast_group6 ff05::12'));
    expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['warning', 'vrrp_mcast_group6 [ff05::12] should be link-local multicast.'],
    ]);
    expect(r.config.global.vrrpMcastGroup6).toBe('ff05::12');
  });

  it('keepalived compat: vrrp_min_garp only changes values still at their defaults', () => {
    const g = global('vrrp_garp_master_repeat 3', 'vrrp_min_garp');
    expect([g.vrrpGarpMasterRepeat, g.vrrpGarpMasterDelayS, g.vrrpGarpMasterRefreshRepeat]).toEqual([3, 0, 0]);
    expect(global('vrrp_min_garp', 'vrrp_garp_master_repeat 3').vrrpGarpMasterRepeat).toBe(3);
    expect(global('vrrp_min_garp off').vrrpGarpMasterDelayS).toBe(5);
  });

  it('keepalived compat: vrrp_vmac_garp_intvl is a deprecated alias (counts as an error)', () => {
    const r = read(inGlobal('vrrp_vmac_garp_intvl 5'));
    expect(r.exitCode).toBe(5);
    expect(r.config.global.vrrpGarpExtraIfS).toBe(5);
  });

  it('keepalived compat: vrrp_rx_bufs_policy re-reads its first word for a size', () => {
    expect(errors(inGlobal('vrrp_rx_bufs_policy MTU x'))).toEqual([
      [2, "invalid number 'MTU'"],
      [2, 'Invalid vrrp_rx_bufs_policy x'],
    ]);
  });

  it('keepalived compat: an invalid *_rlimit_rttime clears the limit', () => {
    expect(global('vrrp_rlimit_rttime x').vrrpProcess.rlimitRttimeUs).toBe(0);
  });

  it('keepalived compat: deprecated aliases that are only logged', () => {
    const r = read(inGlobal('bfd_rlimit_rtime 100', 'lvs_process_name x', 'lvs_flush_onstop', 'enable_snmp_keepalived'));
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "Keyword 'bfd_rlimit_rtime' is deprecated - please use 'bfd_rlimit_rttime'",
      "'lvs_process_name' is deprecated - please use 'checker_process_name'",
    ]);
  });

  it('keepalived compat: a failed script_user sticks, so later scripts lose their user', () => {
    const host = pinnedHost({ files: { '/bin/true': {} } });
    const r = read(inGlobal('script_user ghost', 'enable_script_security', 'startup_script /bin/true'), host);
    expect(r.config.global.startupScript).toBeUndefined();
    expect(errors(inGlobal('script_user ghost', 'enable_script_security', 'startup_script /bin/true'), host)).toEqual([
      [2, 'Error setting global script uid/gid'],
      [4, 'Invalid startup script'],
    ]);
  });

  it('keepalived compat: an empty notification_email block is reported on its closing line', () => {
    expect(errors(inGlobal('notification_email {', '}'))).toEqual([[3, 'Warning - empty notification_email block']]);
  });

  it('keepalived compat: a start-up script makes -t fail the security check without enable_script_security', () => {
    const host = pinnedHost({ files: { '/bin/true': {} } });
    const r = read(inGlobal('startup_script "/bin/true arg"', 'startup_script_timeout 20'), host);
    expect(r.exitCode).toBe(6);
    expect(r.config.global.startupScript?.argv).toEqual(['/bin/true', 'arg']);
    expect(r.config.global.startupScriptTimeoutS).toBe(20);
  });

  it('keepalived compat: notify_fifo_script is checked by both the VRRP and the checker process', () => {
    const r = read(inGlobal('notify_fifo /run/f', 'notify_fifo_script /bin/true', 'enable_script_security'), pinnedHost({ files: { '/bin/true': {} } }));
    expect(r.config.global.notifyFifo.script?.argv).toEqual(['/bin/true']);
    expect(r.exitCode).toBe(0);
  });

  it('keepalived compat: notify_fifo with an unknown user is dropped with a log line only', () => {
    const r = read(inGlobal('notify_fifo /run/f ghost'));
    expect(r.exitCode).toBe(0);
    expect(r.config.global.notifyFifo.path).toBeUndefined();
  });

  it('keepalived compat: smtp_server is kept from the first valid line when a later one fails', () => {
    const r = read(inGlobal('smtp_server 10.0.0.1', 'smtp_server bad.invalid'));
    expect(r.exitCode).toBe(0);
    expect(r.config.global.smtpServer?.address).toBe('10.0.0.1');
  });
});
