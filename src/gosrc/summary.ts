/**
 * What a module's Go sources reveal that a runtime image must provide (TLS roots, zoneinfo, profiling
 * endpoints) and which packages they import, for the files a linux build may compile. Read from the
 * source model, so lint and plan see the same files.
 */
import type { GoSources } from './sources.js';
import { compiledFiles } from './graph.js';
import { linuxTarget, type Target } from './target.js';

export interface SourceSummary {
  usesTls: boolean;
  tlsEvidence?: string;
  loadsTimeZones: boolean;
  zoneEvidence?: string;
  /** the zone is a string literal (the load certainly happens with that name), not a variable */
  zoneLiteral?: boolean;
  embedsTzdata: boolean;
  importsPprof: boolean;
  importsExpvar: boolean;
  /** the first file with `import "C"` */
  cgoFile?: string;
  /** every package imported by a compiled file → the first file importing it */
  imports: Record<string, string>;
}

/** The summary over every package of the sources for a target (default: linux, any GOARCH, cgo on, no tags). */
export function summarizeSources(src: GoSources, t: Target = linuxTarget(null)): SourceSummary {
  const s: SourceSummary = {
    usesTls: false,
    loadsTimeZones: false,
    embedsTzdata: false,
    importsPprof: false,
    importsExpvar: false,
    imports: {},
  };
  const files = Object.keys(src.packages)
    .sort()
    .flatMap((d) => compiledFiles(src.packages[d]!, t));
  // file order is path order, as the walk read them
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of files) {
    if (f.cgo) s.cgoFile ??= f.path;
    for (const imp of f.imports) s.imports[imp] ??= f.path;
    if (!s.usesTls && f.tls) {
      s.usesTls = true;
      s.tlsEvidence = `${f.tls} in ${f.path}`;
    }
    if (!s.loadsTimeZones && f.loadLocation) {
      s.loadsTimeZones = true;
      s.zoneEvidence = `time.LoadLocation(${f.loadLocation.arg}) in ${f.path}`;
      s.zoneLiteral = f.loadLocation.literal;
    }
    if (f.imports.includes('time/tzdata')) s.embedsTzdata = true;
    if (f.imports.includes('net/http/pprof')) s.importsPprof = true;
    if (f.imports.includes('expvar')) s.importsExpvar = true;
  }
  return s;
}
