import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { buildsReaching } from '../stage-graph.js';
import { copiesInto, imageChain, imageLabel, runtimeStages } from '../rule-helpers.js';

export const GK011: Rule = {
  id: 'GK011',
  severity: 'error',
  title: 'No zoneinfo in a runtime whose program loads time zones',
  explanation:
    'time.LoadLocation reads /usr/share/zoneinfo (or $ZONEINFO). scratch and Alpine without tzdata have none, so it fails with ' +
    '"unknown time zone Europe/Berlin" unless the binary embeds the database (import _ "time/tzdata" or -tags timetzdata, about 450 KB). ' +
    'Reported only when the Go sources were read and load time zones: an error for a literal zone name, a warning when the name comes ' +
    'from a variable (the load may not happen).',
  fix: 'import _ "time/tzdata", build with -tags timetzdata, or install tzdata in the runtime.',
  check: ({ model }) => {
    const src = model.context.sources;
    if (!src?.loadsTimeZones || src.embedsTzdata) return [];
    const out: RawFinding[] = [];
    for (const rt of runtimeStages(model)) {
      if (rt.image.zoneinfo !== false) continue;
      const chain = imageChain(model, rt);
      if (chain.some((s) => s.packages.has('tzdata') || s.env.ZONEINFO)) continue;
      if (copiesInto(model, rt, /zoneinfo/)) continue;
      const builds = buildsReaching(model, rt);
      if (builds.some(({ inv }) => /(^|,|\s)timetzdata(,|\s|$)/.test(String(inv.flags.get('tags') ?? '')))) continue;
      out.push({
        line: rt.baseLine,
        severity: src.zoneLiteral ? 'error' : 'warning',
        message: `${imageLabel(rt)} has no /usr/share/zoneinfo, the program loads time zones (${src.zoneEvidence ?? 'time.LoadLocation'}) and does not embed time/tzdata`,
      });
    }
    return out;
  },
};
