/**
 * global_defs keywords that are not VRRP- or LVS-specific: identity, email,
 * start/stop scripts, notify FIFOs, process settings, SNMP/DBus, housekeeping.
 * keepalived: core/global_parser.c.
 */
import { strtoll } from '../../lib/strtol.js';
import { INT_MAX, INT_MIN, UINT_MAX } from '../engine.js';
import { includeCheckSet } from '../include-check.js';
import type { GlobalSection, ProcessSettings } from './global-defs.js';
import type { Ctx, KwTable } from './global-defs-common.js';
import { flag, globalBool, inetStoSockaddr, notifyFifoKw, notifyFifoScriptKw, optBool } from './global-defs-common.js';
import { lookupUser, readScript } from './script.js';

const g = (c: Ctx): GlobalSection => c.target.config.global;

/** sched_get_priority_max/min(SCHED_RR) on Linux. */
export const SCHED_RR_MIN = 1;
export const SCHED_RR_MAX = 99;
const TASK_COMM_LEN = 16;

/** keepalived: save_process_name(). */
function saveProcessName(c: Ctx, name: string): string {
  if (name.length >= TASK_COMM_LEN) {
    c.error(`Process name ${name} more than ${TASK_COMM_LEN - 1} characters, truncating`);
    return name.slice(0, TASK_COMM_LEN - 1);
  }
  return name;
}

/** keepalived: get_priority(), get_realtime_priority(), get_cpu_affinity(), get_rt_rlimit(). */
export function processKeywords(proc: 'vrrp' | 'checker' | 'bfd', get: (c: Ctx) => ProcessSettings): KwTable {
  const rlimit = {
    handler: (c: Ctx) => {
      const kw = c.keyword;
      if (kw.endsWith('_rtime')) c.log(`Keyword '${kw}' is deprecated - please use '${kw.slice(0, -5)}rttime'`);
      const v = c.readUnsigned(1, 1, 4294967295);
      // keepalived stores 0 (no limit) after an invalid value.
      if (v === undefined) {
        c.error(`Invalid ${proc} real-time limit - ${c.word(1)}`);
        get(c).rlimitRttimeUs = 0;
        return;
      }
      get(c).rlimitRttimeUs = v === 1 ? 2 : v;
    },
  };
  return {
    [`${proc}_priority`]: {
      handler: (c) => {
        const p = get(c);
        if (!c.has(1)) {
          c.error(`No ${proc} process priority specified`);
          p.priority = 0;
          return;
        }
        const v = c.readInt(1, -20, 19);
        if (v === undefined) c.error(`Invalid ${proc} process priority specified`);
        p.priority = v ?? 0;
      },
    },
    [`${proc}_no_swap`]: flag((c) => {
      get(c).noSwap = true;
    }),
    [`${proc}_rt_priority`]: {
      handler: (c) => {
        if (!c.has(1)) return c.error(`No ${proc} process real-time priority specified`);
        let v = c.readInt(1, INT_MIN, INT_MAX);
        if (v === undefined) return c.error(`${proc} process real-time priority '${c.word(1)}' invalid`);
        if (v < SCHED_RR_MIN) {
          c.error(`${proc} process real-time priority ${v} less than minimum ${SCHED_RR_MIN} - setting to minimum`);
          v = SCHED_RR_MIN;
        } else if (v > SCHED_RR_MAX) {
          c.error(`${proc} process real-time priority ${v} greater than maximum ${SCHED_RR_MAX} - setting to maximum`);
          v = SCHED_RR_MAX;
        }
        get(c).rtPriority = v;
      },
    },
    [`${proc}_cpu_affinity`]: {
      handler: (c) => {
        if (!c.has(1)) return c.error(`No ${proc} cpu_id set specified`);
        const host = c.target.host;
        const cpus = 'cpuCount' in host && typeof host.cpuCount === 'number' ? host.cpuCount : 1024;
        const set: number[] = [];
        get(c).cpuAffinity = set;
        for (let i = 1; c.has(i); i++) {
          const v = c.readInt(i, 0, cpus - 1);
          if (v === undefined) {
            // keepalived prints the value strtol() left behind.
            const n = Number.parseInt(c.word(i), 10);
            c.error(`Invalid cpu_id:${Number.isNaN(n) ? 0 : n} specified for ${proc} process`);
            set.length = 0;
            return;
          }
          if (!set.includes(v)) set.push(v);
        }
      },
    },
    [`${proc}_rlimit_rttime`]: rlimit,
    [`${proc}_rlimit_rtime`]: rlimit,
    [`${proc}_process_name`]: {
      handler: (c) => {
        get(c).name = saveProcessName(c, c.word(1));
      },
    },
  };
}

/** keepalived: startup_shutdown_script() and the *_timeout handler (parent process only). */
function startStop(which: 'startup' | 'shutdown'): KwTable {
  const key = which === 'startup' ? 'startupScript' : 'shutdownScript';
  const tkey = which === 'startup' ? 'startupScriptTimeoutS' : 'shutdownScriptTimeoutS';
  return {
    [`${which}_script`]: {
      handler: (c) => {
        const gs = g(c);
        if (gs[key]) return c.error(`${which} script already specified`);
        if (!c.has(1)) return c.error(`${which} script missing`);
        const spec = readScript(c, c.target, { kind: which, subsystem: 'global', userFromLine: true });
        if (!spec) return c.error(`Invalid ${which} script`);
        gs[key] = spec;
      },
    },
    [`${which}_script_timeout`]: {
      handler: (c) => {
        if (!c.has(1)) return c.error(`${which}_script_timeout requires value`);
        const v = c.readUnsigned(1, 1, 1000);
        if (v === undefined) return c.error(`${which}_script_timeout '${c.word(1)}' must be in [1, 1000] - ignoring`);
        g(c)[tkey] = v;
      },
    },
  };
}

const UMASK_BITS: Readonly<Record<string, number>> = {
  IRUSR: 0o400,
  IWUSR: 0o200,
  IXUSR: 0o100,
  IRGRP: 0o040,
  IWGRP: 0o020,
  IXGRP: 0o010,
  IROTH: 0o004,
  IWOTH: 0o002,
  IXOTH: 0o001,
};

/** keepalived: umask_handler() — a number (strtol base 0) or IRUSR|IWGRP… */
function umaskHandler(c: Ctx): void {
  const mask = c.word(1);
  if (/^[0-9]/.test(mask)) {
    if (c.words.length !== 2) return c.error('Extra parameter(s) to umask option');
    const r = strtoll(mask);
    if (r.end !== mask.length || r.value < 0n || (r.value & ~0o777n) !== 0n) return c.error(`invalid umask value ${mask}`);
    g(c).umask = Number(r.value);
    return;
  }
  let bits = 0;
  let needOr = false;
  for (let i = 1; c.has(i); i++) {
    const w = c.word(i);
    let p = 0;
    while (p < w.length) {
      if (needOr) {
        if (w[p] === '|') {
          needOr = false;
          p++;
          continue;
        }
        return c.error(`Invalid umask syntax ${w}`);
      }
      const bit = UMASK_BITS[w.slice(p, p + 5)];
      if (bit === undefined) return c.error(`Unknown umask bit ${w.slice(p)}`);
      bits |= bit;
      p += 5;
      needOr = true;
    }
  }
  if (!needOr) return c.error('umask missing bit value');
  g(c).umask = bits;
}

/** keepalived: include_check_set() — its messages here; the preprocessor applies the bits. */
function includeCheckHandler(c: Ctx): void {
  const set = includeCheckSet(0, c.words.slice(1));
  for (const e of set.errors) c.error(e);
  g(c).includeCheck = [...set.accepted];
}

export const generalKeywords: KwTable = {
  process_names: flag((c) => {
    g(c).vrrpProcess.name = 'keepalived_vrrp';
    g(c).checkerProcess.name = 'keepalived_lvs';
    g(c).bfdProcess.name = 'keepalived_bfd';
  }),
  process_name: {
    handler: (c) => {
      g(c).processName = saveProcessName(c, c.word(1));
    },
  },
  lvs_process_name: {
    handler: (c) => {
      c.log("'lvs_process_name' is deprecated - please use 'checker_process_name'");
      g(c).checkerProcess.name = saveProcessName(c, c.word(1));
    },
  },
  ...processKeywords('vrrp', (c) => g(c).vrrpProcess),
  ...processKeywords('checker', (c) => g(c).checkerProcess),
  ...processKeywords('bfd', (c) => g(c).bfdProcess),
  router_id: {
    handler: (c) => {
      if (!c.has(1)) return c.error('routerid name missing - ignoring');
      g(c).routerId = c.word(1);
    },
  },
  notification_email_from: {
    handler: (c) => {
      if (!c.has(1)) return c.error('emailfrom missing - ignoring');
      g(c).notificationEmailFrom = c.word(1);
    },
  },
  smtp_server: {
    handler: (c) => {
      const host = c.word(1);
      const portStr = c.has(2) ? c.word(2) : '25';
      // keepalived: smtpserver_handler() — an IP literal (no '-' or '/'), else a resolved host name.
      let addr = /[-/]/.test(host) ? undefined : inetStoSockaddr(c, host, portStr);
      if (!addr) {
        const port = /^[0-9]+$/.test(portStr) ? Number(portStr) : Number.NaN;
        const resolved = c.target.host.resolve(host);
        if (resolved !== undefined && port >= 0 && port <= 65535) {
          addr = { family: resolved.includes(':') ? 6 : 4, address: resolved, port };
        }
      }
      if (addr) g(c).smtpServer = { host, address: addr.address, port: addr.port ?? 25 };
      else if (!g(c).smtpServer) c.error(`Invalid smtp server ${host} ${portStr}`);
    },
  },
  smtp_helo_name: {
    handler: (c) => {
      if (c.has(1)) g(c).smtpHeloName = c.word(1);
    },
  },
  smtp_connect_timeout: {
    handler: (c) => {
      let v = c.readUnsigned(1, 0, Math.floor(UINT_MAX / 1_000_000));
      if (v === undefined) return c.error(`smtp_connect_timeout '${c.word(1)}' must be in [0, 4294] - ignoring`);
      if (v === 0) {
        // keepalived's spelling.
        c.error('smtp_conect_timeout must be greater than 0, setting to 1');
        v = 1;
      }
      g(c).smtpConnectTimeoutMs = v * 1000;
    },
  },
  notification_email: {
    handler: (c) => {
      const words = c.valueBlockWords();
      if (words.length === 0) return c.error('Warning - empty notification_email block');
      for (const w of words) g(c).notificationEmail.push(w.word);
    },
  },
  smtp_alert: globalBool('smtp_alert', (c, v) => {
    g(c).smtpAlert = v;
  }),
  smtp_alert_vrrp: globalBool('smtp_alert_vrrp', (c, v) => {
    g(c).smtpAlertVrrp = v;
  }),
  smtp_alert_checker: globalBool('smtp_alert_checker', (c, v) => {
    g(c).smtpAlertChecker = v;
  }),
  checker_log_all_failures: optBool(
    (c, v) => {
      g(c).checkerLogAllFailures = v;
    },
    () => 'Invalid value for checker_log_all_failures specified',
  ),
  ...startStop('startup'),
  ...startStop('shutdown'),
  max_auto_priority: {
    handler: (c) => {
      if (!c.has(1)) {
        g(c).maxAutoPriority = SCHED_RR_MAX;
        return;
      }
      const v = c.readInt(1, -1, SCHED_RR_MAX);
      if (v === undefined)
        return c.error(`max_auto_priority '${c.word(1)}' must be in [0, ${SCHED_RR_MAX}] (or -1 to disable) - ignoring`);
      g(c).maxAutoPriority = v;
    },
  },
  min_auto_priority_delay: {
    handler: (c) => {
      if (!c.has(1)) return c.error('min_auto_priority_delay requires delay time');
      const v = c.readInt(1, 1, 10_000_000);
      if (v === undefined) return c.error(`min_auto_priority_delay '${c.word(1)}' must be in [1, 10000000] - ignoring`);
      g(c).minAutoPriorityDelayUs = v;
    },
  },
  notify_fifo: notifyFifoKw('', (c) => g(c).notifyFifo),
  notify_fifo_script: notifyFifoScriptKw('', (c) => g(c).notifyFifo, ['vrrp', 'checker']),
  snmp_socket: {
    handler: (c) => {
      if (c.words.length > 2) return c.error('Too many parameters specified for snmp_socket - ignoring');
      if (!c.has(1)) return c.error('SNMP error : snmp socket name missing');
      if (c.word(1).length > 4095) return c.error('SNMP error : snmp socket name too long - ignored');
      const gs = g(c);
      if (gs.snmpSocket !== undefined) return c.error(`SNMP socket already set to ${gs.snmpSocket} - ignoring`);
      gs.snmpSocket = c.word(1);
    },
  },
  enable_traps: flag((c) => {
    g(c).enableTraps = true;
  }),
  enable_snmp_vrrp: flag((c) => {
    g(c).enableSnmpVrrp = true;
  }),
  enable_snmp_keepalived: flag((c) => {
    g(c).enableSnmpVrrp = true;
  }),
  enable_snmp_rfc: flag((c) => {
    g(c).enableSnmpRfcv2 = true;
    g(c).enableSnmpRfcv3 = true;
  }),
  enable_snmp_rfcv2: flag((c) => {
    g(c).enableSnmpRfcv2 = true;
  }),
  enable_snmp_rfcv3: flag((c) => {
    g(c).enableSnmpRfcv3 = true;
  }),
  enable_snmp_checker: flag((c) => {
    g(c).enableSnmpChecker = true;
  }),
  enable_dbus: flag((c) => {
    g(c).enableDbus = true;
  }),
  dbus_service_name: {
    handler: (c) => {
      if (!c.has(1)) return c.error('dbus_service_name missing - ignoring');
      g(c).dbusServiceName = c.word(1);
    },
  },
  script_user: {
    handler: (c) => {
      if (!c.has(1)) return c.error('No script username specified');
      const user = c.word(1);
      const group = c.has(2) ? c.word(2) : undefined;
      // keepalived: set_default_script_user() — a failure sticks: later default-user scripts are dropped.
      g(c).scriptUser = group !== undefined ? { user, group } : { user };
      if (!lookupUser(c.target, user, group)) c.error('Error setting global script uid/gid', { host: true });
    },
  },
  enable_script_security: flag((c) => {
    g(c).enableScriptSecurity = true;
  }),
  umask: { handler: umaskHandler },
  random_seed: {
    handler: (c) => {
      const v = c.readUnsigned(1, 0, UINT_MAX);
      if (v === undefined) return c.error(`random_seed ${c.word(1)} invalid`);
      g(c).randomSeed = v;
    },
  },
  reload_check_config: {
    handler: (c) => {
      g(c).reloadCheckConfig = c.has(1) ? c.word(1) : '/dev/null';
    },
  },
  reload_time_file: {
    handler: (c) => {
      if (c.words.length !== 2) return c.error('reload_time_file invalid');
      g(c).reloadTimeFile = c.word(1);
    },
  },
  reload_repeat: flag((c) => {
    g(c).reloadRepeat = true;
  }),
  reload_file: {
    handler: (c) => {
      g(c).reloadFile = c.has(1) ? c.word(1) : 'default';
    },
  },
  include_check: { handler: includeCheckHandler },
  config_save_dir: {
    handler: (c) => {
      // keepalived creates the directory from the parent; a reader only records it.
      g(c).configSaveDir = c.word(1).replace(/\/$/, '');
    },
  },
  tmp_config_directory: {
    handler: (c) => {
      const gs = g(c);
      if (gs.tmpConfigDirectory !== undefined) return c.error(`${c.keyword} already specified - ignoring`);
      if (!c.has(1)) return c.error(`${c.keyword} missing directory name`);
      gs.tmpConfigDirectory = c.word(1);
    },
  },
  data_use_instance: globalBool('date_use_instance', (c, v) => {
    g(c).dataUseInstance = v;
  }),
};
