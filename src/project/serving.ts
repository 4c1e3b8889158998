/**
 * Where a command listens by default and which health path it serves, read from literal addresses in
 * its own module's packages (`http.ListenAndServe(":8080"`, a flag default such as `":9100"`) and
 * `HandleFunc("/healthz"`. Only literals count: an address from a config file or the environment is not
 * known before run time, and gokiln then claims no port.
 */
import { closure, type PackageGraph } from '../gosrc/graph.js';

export interface Serving {
  /** each port once, with the first place that sets it (`node_exporter.go:203`) */
  ports: Array<{ port: number; source: string }>;
  /** a health path the program serves, for readiness and liveness probes; null: probe the port over TCP */
  health: { path: string; source: string } | null;
}

export function servingOf(g: PackageGraph, mainImportPath: string): Serving {
  const ports = new Map<number, string>();
  let health: Serving['health'] = null;
  // the command's own package first, then the module's packages it links, each in file order; a flag
  // default counts only in the command itself (a library's flags are registered by commands that never serve)
  const pkgs = closure(g, mainImportPath).filter((p) => p.main);
  for (const p of pkgs) {
    const own = p.importPath === mainImportPath;
    for (const f of p.files ?? []) {
      for (const l of f.listens)
        if ((own || l.kind === 'listen') && !ports.has(l.port)) ports.set(l.port, `${f.path}:${l.line} (${l.text})`);
      const h = f.healthPaths[0];
      if (!health && h) health = { path: h.path, source: `${f.path}:${h.line}` };
    }
  }
  return { ports: [...ports].map(([port, source]) => ({ port, source })).sort((a, b) => a.port - b.port), health };
}
