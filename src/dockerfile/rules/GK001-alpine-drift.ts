import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { copiedBuilds, imageLabel, runtimeStages } from '../rule-helpers.js';

export const GK001: Rule = {
  id: 'GK001',
  severity: 'error',
  title: 'Alpine builder and Alpine runtime releases differ',
  explanation:
    'A binary built on golang:X-alpineA.B and run on alpine:C.D meets a different musl and different packages than it was built against. ' +
    'For a cgo binary (dynamically linked to musl) this is a real compatibility risk, so it is an error; for a static binary it is a warning, ' +
    'because only the packages installed in the runtime (ca-certificates, tzdata) drift. The allowed difference is set by lint.allowedDrift.alpineMinor.',
  fix: 'Use the same Alpine release in both stages, e.g. golang:1.23-alpine3.20 with alpine:3.20.',
  check: ({ model, config }) => {
    const out: RawFinding[] = [];
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
        const key = `${stage.index}:${inv.cgo.on === true}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const cgo = inv.cgo.on === true;
        out.push({
          line: rt.baseLine,
          severity: cgo ? 'error' : 'warning',
          message:
            `builder ${imageLabel(stage)} (Alpine ${bOs.release}) feeds runtime ${imageLabel(rt)} (Alpine ${rtOs.release})` +
            (cgo ? `; the binary is cgo (${inv.cgo.reason}) and links the builder's musl` : '; the binary is not cgo, so only runtime packages drift'),
          fix: `use alpine:${bOs.release} as the runtime, or golang:<go>-alpine${rtOs.release} as the builder`,
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
