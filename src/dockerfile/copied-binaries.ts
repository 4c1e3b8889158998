/**
 * Prebuilt binaries a runtime stage copies from the build context (`COPY dist/app_linux_amd64/app /usr/bin/`),
 * judged through BuildContext.judgeCopied (inspect's reader and verdict code), turned into the findings of
 * the rules that make the same claim from the Dockerfile alone: GK006 (no loader or libc), GK007 (glibc too
 * old), GK010 (CA bundle), GK011 (zoneinfo), GK015 (architecture).
 */
import { posix } from 'node:path';
import type { DockerfileModel } from './model.js';
import type { RawFinding } from './types.js';
import { imageLabel, runtimeStages } from './rule-helpers.js';

export type CopiedRule = 'GK006' | 'GK007' | 'GK010' | 'GK011' | 'GK015';

const BY_REASON: Record<string, CopiedRule> = {
  'no-interpreter': 'GK006',
  'wrong-libc': 'GK006',
  'missing-library': 'GK006',
  'glibc-too-old': 'GK007',
  'library-too-old': 'GK007',
};
const BY_WARNING: Record<string, CopiedRule> = { 'no-ca-certs': 'GK010', 'no-zoneinfo': 'GK011' };

const memo = new WeakMap<DockerfileModel, Map<CopiedRule, RawFinding[]>>();

/** A literal platform's architecture (`linux/arm64` → arm64); undefined for `$TARGETPLATFORM` and the like. */
function literalArch(platform: string | undefined): string | undefined {
  if (!platform || platform.includes('$')) return undefined;
  return platform.split('/')[1];
}

export function copiedBinaryFindings(model: DockerfileModel, rule: CopiedRule): RawFinding[] {
  let all = memo.get(model);
  if (!all) {
    all = collect(model);
    memo.set(model, all);
  }
  return all.get(rule) ?? [];
}

function collect(model: DockerfileModel): Map<CopiedRule, RawFinding[]> {
  const out = new Map<CopiedRule, RawFinding[]>();
  const judge = model.context.judgeCopied;
  if (!judge) return out;
  const add = (rule: CopiedRule, f: RawFinding) => out.set(rule, [...(out.get(rule) ?? []), f]);
  for (const rt of runtimeStages(model)) {
    if (!rt.base) continue;
    for (const c of rt.copies) {
      if (c.from !== undefined) continue;
      for (const src of c.sources) {
        if (/[*?[$]/.test(src) || /^(\.\/?|\/)?$/.test(src) || src.endsWith('/')) continue;
        const rel = posix.normalize(src.replace(/^\/+/, ''));
        if (rel.startsWith('..')) continue;
        const dest = c.dest.endsWith('/') || c.sources.length > 1 ? posix.join(c.destPath, posix.basename(rel)) : c.destPath;
        const v = judge(rel, rt.base.raw, dest);
        if (!v) continue;
        const said = `gokiln read ${rel} from the build context`;
        const arch = literalArch(rt.platform);
        if (arch && v.arch !== arch) {
          add('GK015', {
            line: c.line,
            message: `${said}: it is built for ${v.arch}, and this stage runs on ${rt.platform}: exec fails with "exec format error"`,
            fix: `build it with GOARCH=${arch}, or copy the ${arch} build`,
          });
          continue;
        }
        const rule = BY_REASON[v.verdict.reason];
        if (v.verdict.verdict === 'fails' && rule) {
          add(rule, {
            line: c.line,
            message: `${said} (${v.arch}): on ${imageLabel(rt)} it fails with: ${v.verdict.message ?? v.verdict.reason}`,
            fix: 'build it with CGO_ENABLED=0, or use a base with the libc and libraries it was linked against',
          });
        }
        for (const w of v.verdict.warnings) {
          const wr = BY_WARNING[w.code];
          if (wr) add(wr, { line: c.line, message: `${said}: ${w.message}` });
        }
      }
    }
  }
  return out;
}
