/**
 * Runs the daemon in the foreground (-n), or forks it as keepalived does: the
 * child runs detached with -n and its log records go to syslog through
 * logger(1) (keepalived logs to syslog when it forks), or to -g FILE.
 */
import { spawn } from 'node:child_process';
import { runDaemon, type DaemonOptions } from '../daemon/main.js';

export function startDaemon(o: DaemonOptions & { readonly isForeground: boolean }): void {
  if (o.isForeground) {
    runDaemon(o).then(
      (code) => {
        process.exitCode = code;
        // A safety net, not the way out: after a stop nothing of ours should keep the loop alive, but a
        // handle we failed to close (or a forced second-signal exit that left start-up running) would
        // hang the process. The timer is unref'd, so it fires only in that case; with -D say what is left.
        setTimeout(() => {
          if (o.isDetailLog) process.stderr.write(`keepalived-ts: exiting with handles still active: ${process.getActiveResourcesInfo().join(', ')}\n`);
          process.exit(code);
        }, 200).unref();
      },
      (err: unknown) => {
        process.stderr.write(`keepalived-ts: ${String(err)}\n`);
        process.exit(70);
      },
    );
    return;
  }
  const args = [...process.argv.slice(1), '--dont-fork'];
  if (o.logFile !== undefined) {
    spawn(process.execPath, args, { detached: true, stdio: 'ignore' }).unref();
    return;
  }
  const logger = spawn('logger', ['-t', 'Keepalived_vrrp', '--id'], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  logger.on('error', () => {}); // no logger(1): the records are lost, as keepalived's are without syslog
  const sink = logger.stdin ?? 'ignore';
  spawn(process.execPath, args, { detached: true, stdio: ['ignore', sink, sink] }).unref();
  logger.unref();
  logger.stdin?.destroy();
}
