import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import type { Stage } from '../model.js';
import { copiedBuilds, imageChain, imageLabel, runtimeStages } from '../rule-helpers.js';
import { feedingStages } from '../stage-graph.js';
import { cgoLinkage } from '../cgo-linkage.js';
import { compareVersions } from '../../compare-versions.js';
import { defaultKnowledge } from '../knowledge-adapter.js';

/** the generic fix names the images the knowledge port recommends (each finding names those of its own day) */
const REC = defaultKnowledge.recommended();

export const GK001: Rule = {
  id: 'GK001',
  severity: 'error',
  title: 'Alpine builder and Alpine runtime releases differ',
  explanation:
    'A binary built on golang:X-alpineA.B and run on alpine:C.D meets another musl and other packages than it was built against. ' +
    "A cgo binary links the builder's musl dynamically. musl keeps its ABI: a binary linked against an older musl runs on a newer one, but " +
    'one linked against a newer musl can need symbols an older musl lacks, so a runtime with an older musl than the builder is an error. ' +
    'With the same or a newer musl it is a warning: the C libraries the binary links besides musl (libssl, libsqlite3…) come from two ' +
    'Alpine releases and can differ in soname or ABI. For a static binary (cgo off, or a program no package of which uses cgo, read ' +
    "from the build context) only the runtime's packages drift (ca-certificates, tzdata): a warning. The allowed difference is set by " +
    'lint.allowedDrift.alpineMinor. musl versions per release come from the knowledge module.',
  fix: `Use the same Alpine release in both stages, e.g. ${REC.golangAlpine} with ${REC.alpine}.`,
  check: ({ model, config, knowledge, today }) => {
    const out: RawFinding[] = [];
    // a release past its end of support is not offered as the cure
    const supported = (release: string) => {
      const eol = knowledge.osSupport('alpine', release)?.eol;
      return eol === undefined || eol === null || today < eol;
    };
    for (const rt of runtimeStages(model)) {
      const rtOs = rt.image.os;
      if (rtOs?.distro !== 'alpine') continue;
      const seen = new Set<string>();
      for (const { inv, stage } of copiedBuilds(model, rt)) {
        const bOs = stage.image.os;
        // golang:X-alpineA.B, or an alpine:A.B builder that installs Go itself
        if (bOs?.distro !== 'alpine') continue;
        const drift = minorDistance(bOs.release, rtOs.release);
        if (drift === undefined || drift <= config.allowedDrift.alpineMinor) continue;
        // cgo on links musl only when a package uses cgo; unknown (no sources) counts as linking
        const link = inv.cgo.on === true ? cgoLinkage(model.context, inv) : undefined;
        const cgo = link !== undefined && link.links !== false;
        const key = `${stage.index}:${cgo}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const drifted = `builder ${imageLabel(stage)} (Alpine ${bOs.release}) feeds runtime ${imageLabel(rt)} (Alpine ${rtOs.release})`;
        const cures = [
          ...(supported(bOs.release) ? [`alpine:${bOs.release} as the runtime`] : []),
          ...(supported(rtOs.release) ? [`golang:<go>-alpine${rtOs.release} as the builder`] : []),
        ];
        const rec = knowledge.recommended(today);
        const fix = cures.length
          ? `use ${cures.join(', or ')}`
          : `use the same supported Alpine release in both stages, e.g. ${rec.golangAlpine} with ${rec.alpine}`;
        if (!cgo) {
          const why = link ? `cgo is on but ${link.why}: the binary is static` : 'the binary is not cgo';
          out.push({ line: rt.baseLine, severity: 'warning', message: `${drifted}; ${why}, so only runtime packages drift`, fix });
          continue;
        }
        const bMusl = stage.image.musl;
        const rMusl = rt.image.musl;
        const older = muslOlder(bMusl, rMusl, rt.image.olderThanKnown === true);
        const cgoWhy = link?.links === true ? `${inv.cgo.reason}; ${link.why}` : `${inv.cgo.reason}; ${link?.why ?? ''}`.replace(/; $/, '');
        out.push(
          older
            ? {
                line: rt.baseLine,
                severity: 'error',
                message: `${drifted}; the binary is cgo (${cgoWhy}) and links musl ${bMusl}, newer than ${runtimeMusl(rMusl, rtOs.release)}: symbols added since fail to resolve at start`,
                fix,
              }
            : {
                line: rt.baseLine,
                severity: 'warning',
                message: `${drifted}; the binary is cgo (${cgoWhy}): musl ${rMusl ?? '?'} runs binaries linked against musl ${bMusl ?? '?'}, but the other C libraries it links come from another Alpine release`,
                fix,
              },
        );
      }
      // the compiler runs inside make or a script: the releases still differ, and cgo is not visible, so
      // a warning (the binary links the builder's musl only if cgo is on)
      const chain = new Set(imageChain(model, rt).map((s) => s.index));
      for (const { stage } of feedingStages(model, rt)) {
        const bOs = stage.image.os;
        if (chain.has(stage.index) || bOs?.distro !== 'alpine' || stage.opaqueBuilds.length === 0) continue;
        if ([...seen].some((k) => k.startsWith(`${stage.index}:`))) continue;
        const drift = minorDistance(bOs.release, rtOs.release);
        if (drift === undefined || drift <= config.allowedDrift.alpineMinor) continue;
        seen.add(`${stage.index}:opaque`);
        const ob = stage.opaqueBuilds[stage.opaqueBuilds.length - 1]!;
        const rec = knowledge.recommended(today);
        const head = `builder ${imageLabel(stage)} (Alpine ${bOs.release}) feeds runtime ${imageLabel(rt)} (Alpine ${rtOs.release}); the program is built by \`${ob.what}\``;
        const fix = supported(rtOs.release)
          ? `use golang:<go>-alpine${rtOs.release} as the builder, or alpine:${bOs.release} as the runtime`
          : `use the same supported Alpine release in both stages, e.g. ${rec.golangAlpine} with ${rec.alpine}`;
        // what the Dockerfile shows of cgo: gcc in the builder and CGO_ENABLED set nowhere means cgo defaults to
        // on for whatever make runs; with a runtime musl older than the builder's that is the error above
        const bMusl = stage.image.musl;
        const rMusl = rt.image.musl;
        const older = muslOlder(bMusl, rMusl, rt.image.olderThanKnown === true);
        if (older && cgoDefaultsOn(stage)) {
          out.push({
            line: rt.baseLine,
            severity: 'error',
            message: `${head}: gcc is installed and CGO_ENABLED is set nowhere, so cgo defaults to on and, unless the build turns it off, the binary links musl ${bMusl}, newer than ${runtimeMusl(rMusl, rtOs.release)}: symbols added since fail to resolve at start`,
            fix: `${fix}; or set ENV CGO_ENABLED=0 in the builder if the program needs no cgo`,
          });
          continue;
        }
        out.push({
          line: rt.baseLine,
          severity: 'warning',
          message: `${head}, where gokiln cannot see CGO_ENABLED: a cgo binary would link the builder's musl and C libraries, a static one meets other runtime packages`,
          fix,
        });
      }
    }
    return out;
  },
};

function minorDistance(a: string, b: string): number | undefined {
  const pa = /^(\d+)\.(\d+)/.exec(a);
  const pb = /^(\d+)\.(\d+)/.exec(b);
  if (!pa || !pb) return undefined;
  if (pa[1] !== pb[1]) return 100;
  return Math.abs(Number(pa[2]) - Number(pb[2]));
}

/** cgo is on by default in a stage whose builds gokiln cannot see: a C compiler is there and no CGO_ENABLED is set. */
function cgoDefaultsOn(stage: Stage): boolean {
  if ((stage.env.CGO_ENABLED ?? '') !== '') return stage.env.CGO_ENABLED === '1';
  if (stage.runs.some((r) => /\bCGO_ENABLED=/.test(r.script))) return false;
  return stage.image.cgoToolchain === true || stage.packages.has('gcc') || stage.packages.has('build-base') || stage.packages.has('clang');
}

/** The runtime's musl for a message; a release older than the tables has an older musl than all of them (musl only grows release by release). */
function runtimeMusl(musl: string | undefined, release: string): string {
  return musl ? `the runtime's musl ${musl}` : `the older musl of Alpine ${release}, which predates every release gokiln lists`;
}

/** The runtime's musl is older than the builder's; a runtime release older than the tables is older than any builder in them. */
function muslOlder(builder: string | undefined, runtime: string | undefined, runtimeOlderThanKnown: boolean): boolean {
  if (builder === undefined) return false;
  if (runtime === undefined) return runtimeOlderThanKnown;
  return compareVersions(runtime, builder) < 0;
}
