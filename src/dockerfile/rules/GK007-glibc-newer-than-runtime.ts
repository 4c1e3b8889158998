import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { ldflagsStatic } from '../go-command.js';
import { buildsReaching, feedingStages } from '../stage-graph.js';
import { imageLabel, runtimeStages } from '../rule-helpers.js';
import { compareVersions } from '../../compare-versions.js';
import { cgoLinkage } from '../cgo-linkage.js';
import { recommendedImages, type RecommendedImages } from '../../project/images.js';

/** Builder and runtime on one current Debian release, from the knowledge base (the images gokiln init writes). */
function sameRelease(r: RecommendedImages): string {
  const dl = r.distroless.builder === r.golangDebian ? ` or ${r.distroless.base}` : `, or ${r.distroless.builder} with ${r.distroless.base}`;
  return `${r.golangDebian} with ${r.debianSlim}${dl}`;
}

export const GK007: Rule = {
  id: 'GK007',
  severity: 'error',
  title: 'cgo binary built against a newer glibc than the runtime has',
  explanation:
    'glibc is backward compatible only: a binary linked on bookworm (glibc 2.36) may require symbol versions such as GLIBC_2.34 that ' +
    'bullseye (2.31) lacks, and fails with "version `GLIBC_2.34\' not found". Builder and runtime must be the same Debian/Ubuntu release, ' +
    'or the runtime newer.',
  fix: `Use the same release in both stages (${sameRelease(recommendedImages())}).`,
  check: ({ model, today }) => {
    const out: RawFinding[] = [];
    const rec = recommendedImages(today);
    for (const rt of runtimeStages(model)) {
      if (rt.image.libc !== 'glibc' || !rt.image.glibc) continue;
      const seen = new Set<number>();
      for (const { inv, stage } of buildsReaching(model, rt)) {
        if (inv.cgo.on !== true || seen.has(inv.line)) continue;
        if (ldflagsStatic(inv)) continue;
        // a program none of whose packages uses cgo is static even with cgo on (see GK006)
        if (cgoLinkage(model.context, inv).links === false) continue;
        const b = stage.image.glibc;
        if (stage.image.libc !== 'glibc' || !b || compareVersions(b, rt.image.glibc) <= 0) continue;
        seen.add(inv.line);
        out.push({
          line: inv.line,
          message: `cgo binary (${inv.cgo.reason}) built on ${imageLabel(stage)} (glibc ${b}) runs on ${imageLabel(rt)} (glibc ${rt.image.glibc}): it may fail with "GLIBC_x.y not found"`,
          fix: `use the same release in both stages: ${sameRelease(rec)}; or a runtime with glibc ${b} or newer`,
        });
      }
      // builds hidden in make/scripts on a builder whose default is cgo: say only what is visible
      for (const { stage } of feedingStages(model, rt)) {
        const b = stage.image.glibc;
        if (!stage.opaqueBuilds.length || stage.image.cgoToolchain !== true || !b || compareVersions(b, rt.image.glibc) <= 0) continue;
        if (stage.env.CGO_ENABLED !== undefined && stage.env.CGO_ENABLED !== '') continue;
        for (const ob of stage.opaqueBuilds) {
          out.push({
            line: ob.line,
            severity: 'info',
            message: `the Go build runs inside \`${ob.what}\`, where gokiln cannot see CGO_ENABLED; on ${imageLabel(stage)} (glibc ${b}) cgo defaults to on, and ${imageLabel(rt)} has glibc ${rt.image.glibc}`,
            fix: 'set ENV CGO_ENABLED=0 in the builder stage, or use the same Debian release in both stages',
          });
        }
      }
    }
    return out;
  },
};

