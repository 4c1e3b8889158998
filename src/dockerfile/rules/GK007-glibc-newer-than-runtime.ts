import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import type { Stage } from '../model.js';
import type { LintKnowledge } from '../knowledge-port.js';
import { ldflagsStatic } from '../go-command.js';
import { buildsReaching, feedingStages } from '../stage-graph.js';
import { imageLabel, runtimeStages } from '../rule-helpers.js';
import { compareVersions } from '../../compare-versions.js';
import { cgoLinkage } from '../cgo-linkage.js';

/** The runtimes on the builder's own release (same glibc), as a phrase; undefined when none is known and supported. */
function builderRelease(k: LintKnowledge, builder: Stage, today: string): string | undefined {
  const os = builder.image.os;
  if (!os || os.distro === 'alpine') return undefined;
  const rts = k.sameReleaseRuntimes(os, today);
  return rts.length ? rts.join(' or ') : undefined;
}

function fixFor(k: LintKnowledge, builder: Stage, b: string, need: string, severe: boolean, today: string): string {
  const same = builderRelease(k, builder, today);
  const parts: string[] = [];
  if (same) parts.push(`run it on the builder's release: ${same} (glibc ${b})`);
  parts.push(`${same ? 'or ' : ''}a runtime with glibc ${severe ? `${need} or newer (what Go's own C code needs)` : `${b} or newer`}`);
  parts.push('or CGO_ENABLED=0 when the program needs no C code');
  return parts.join('; ');
}

export const GK007: Rule = {
  id: 'GK007',
  severity: 'error',
  title: 'cgo binary built against a newer glibc than the runtime has',
  explanation:
    'glibc is backward compatible only: a dynamically linked program needs the symbol versions it was linked against, and an older ' +
    'glibc stops it with "version `GLIBC_2.34\' not found". What Go itself needs is small: runtime/cgo and the cgo parts of net and ' +
    'os/user, linked against glibc 2.34 or newer, need GLIBC_2.34 (libpthread and libdl were merged into libc.so.6 in 2.34) and nothing ' +
    'newer, so a bookworm (2.36) build runs on Ubuntu 22.04 (2.35) but not on bullseye (2.31); linked against an older glibc they need at ' +
    "most that version. Below that floor the binary cannot start (error). Between the floor and the builder's glibc only the program's " +
    'own C code (import "C") or the C libraries it links can need newer symbols (warning). Running on the builder\'s release is always safe.',
  fix: "Run the binary on the builder's Debian release (golang:<go>-trixie with debian:trixie-slim or gcr.io/distroless/base-debian13), or build with CGO_ENABLED=0.",
  check: ({ model, today, knowledge }) => {
    const out: RawFinding[] = [];
    for (const rt of runtimeStages(model)) {
      const r = rt.image.glibc;
      if (rt.image.libc !== 'glibc' || !r) continue;
      const seen = new Set<number>();
      for (const { inv, stage } of buildsReaching(model, rt)) {
        if (inv.cgo.on !== true || seen.has(inv.line)) continue;
        if (ldflagsStatic(inv)) continue;
        // a program none of whose packages uses cgo is static even with cgo on (see GK006)
        const link = cgoLinkage(model.context, inv);
        if (link.links === false) continue;
        const b = stage.image.glibc;
        if (stage.image.libc !== 'glibc' || !b || compareVersions(b, r) <= 0) continue;
        seen.add(inv.line);
        const need = knowledge.goCgoGlibcNeed(b);
        const what = `cgo binary (${inv.cgo.reason}${link.links === true ? `; ${link.why}` : ''}) built on ${imageLabel(stage)} (glibc ${b}) runs on ${imageLabel(rt)} (glibc ${r})`;
        if (compareVersions(r, need) < 0) {
          out.push({
            line: inv.line,
            message:
              need === b
                ? `${what}: it needs symbol versions up to GLIBC_${b}, and fails with "version \`GLIBC_${b}' not found" or an older one`
                : `${what}: Go's own C code (runtime/cgo) linked against glibc ${b} needs GLIBC_${need}, which glibc ${r} lacks, so it fails with "version \`GLIBC_${need}' not found"`,
            fix: fixFor(knowledge, stage, b, need, true, today),
          });
        } else {
          out.push({
            line: inv.line,
            severity: 'warning',
            message: `${what}: Go's own C code needs GLIBC_${need} at most, which ${imageLabel(rt)} has, but C code of the program (import "C") or a C library it links may need symbols up to GLIBC_${b} ("version \`GLIBC_x.y' not found")`,
            fix: fixFor(knowledge, stage, b, need, false, today),
          });
        }
      }
      // builds hidden in make/scripts on a builder whose default is cgo: say only what is visible
      for (const { stage } of feedingStages(model, rt)) {
        const b = stage.image.glibc;
        if (!stage.opaqueBuilds.length || stage.image.cgoToolchain !== true || !b || compareVersions(b, r) <= 0) continue;
        if (stage.env.CGO_ENABLED !== undefined && stage.env.CGO_ENABLED !== '') continue;
        const same = builderRelease(knowledge, stage, today);
        for (const ob of stage.opaqueBuilds) {
          out.push({
            line: ob.line,
            severity: 'info',
            message: `the Go build runs inside \`${ob.what}\`, where gokiln cannot see CGO_ENABLED; on ${imageLabel(stage)} (glibc ${b}) cgo defaults to on, and ${imageLabel(rt)} has glibc ${r}`,
            fix: `set ENV CGO_ENABLED=0 in the builder stage${same ? `, or run it on the builder's release (${same})` : ''}`,
          });
        }
      }
    }
    return out;
  },
};
