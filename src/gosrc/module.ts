/**
 * The one entry to a module's Go sources: read the files, then build the package graph for a target with
 * `go list` when it is available and works, or from the sources when not (and say why). Everything plan,
 * init, doctor and lint ask about Go code is answered from this graph.
 */
import { graphFromSources, type PackageGraph } from './graph.js';
import { graphFromGoList } from './golist.js';
import { readModuleSources, type GoSources } from './sources.js';
import { linuxTarget, type Target } from './target.js';

export interface GoModule {
  dir: string;
  sources: GoSources;
  graph: PackageGraph;
}

export interface LoadOptions {
  /** path of the go command, or null to read the sources only */
  go: string | null;
  env?: NodeJS.ProcessEnv;
  /** default: linux, this machine's GOARCH, cgo on, no tags */
  target?: Target;
  modulePath?: string;
  /** go.mod's require paths: name the module of a dependency when go list is not used */
  requires?: string[];
}

export function loadGoModule(dir: string, opts: LoadOptions): GoModule {
  const target = opts.target ?? linuxTarget();
  const sources = readModuleSources(dir, { modulePath: opts.modulePath });
  let note = 'go is not on PATH';
  if (opts.go !== null) {
    const r = graphFromGoList(dir, target, sources, { go: opts.go, env: opts.env });
    if ('graph' in r) return { dir, sources, graph: r.graph };
    note = r.error;
  }
  return { dir, sources, graph: graphFromSources(sources, target, opts.requires ?? [], note) };
}
