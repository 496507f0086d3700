/**
 * Facts about the machine the config is checked on. keepalived checks them while
 * parsing (interfaces, users, script files, host names); we ask through this
 * port so the reader stays pure and tests can pin a host.
 */
export interface HostFacts {
  interfaceExists(name: string): boolean;
  isLoopback(name: string): boolean;
  /** getpwnam(): undefined when the user does not exist. */
  user(name: string): { readonly uid: number; readonly gid: number } | undefined;
  group(name: string): { readonly gid: number } | undefined;
  /** stat() of a script path after realpath(); undefined when missing. */
  file(path: string):
    | {
        readonly realPath: string;
        readonly isFile: boolean;
        readonly executable: boolean;
        readonly uid: number;
        /** Writable by a non-root user along the path (script security). */
        readonly unsafe: boolean;
      }
    | undefined;
  /** Resolves a host name for smtp_server; undefined when it does not resolve. */
  resolve(name: string): string | undefined;
  /** The node name (uname -n): default router_id and config id. */
  readonly nodeName: string;
}

/** A host with nothing on it but what the test says; for unit tests and `--host-facts`. */
export function pinnedHost(opts: {
  interfaces?: readonly string[];
  users?: Readonly<Record<string, number>>;
  files?: Readonly<Record<string, { executable?: boolean; uid?: number; unsafe?: boolean; isFile?: boolean }>>;
  nodeName?: string;
}): HostFacts {
  const ifs = new Set(opts.interfaces ?? ['lo', 'eth0']);
  const users = opts.users ?? { root: 0 };
  const files = opts.files ?? {};
  return {
    interfaceExists: (n) => ifs.has(n),
    isLoopback: (n) => n === 'lo',
    user: (n) => (Object.hasOwn(users, n) ? { uid: users[n] ?? 0, gid: users[n] ?? 0 } : undefined),
    group: (n) => (Object.hasOwn(users, n) ? { gid: users[n] ?? 0 } : undefined),
    file: (p) => {
      const f = Object.hasOwn(files, p) ? files[p] : undefined;
      return f
        ? { realPath: p, isFile: f.isFile ?? true, executable: (f.isFile ?? true) && (f.executable ?? true), uid: f.uid ?? 0, unsafe: f.unsafe ?? false }
        : undefined;
    },
    resolve: (n) => (/^[0-9.]+$/.test(n) || n.includes(':') ? n : n === 'localhost' ? '127.0.0.1' : undefined),
    nodeName: opts.nodeName ?? 'localhost',
  };
}
