import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { imageChain, runtimeStages } from '../rule-helpers.js';
import type { Stage } from '../model.js';

export const GK021: Rule = {
  id: 'GK021',
  severity: 'warning',
  title: '`apk add` without --no-cache; `apt-get install` without --no-install-recommends and list cleanup',
  explanation:
    'In a shipped image the package index and recommended packages stay in the layer: several MB for apk, tens of MB for apt. Builder ' +
    'stages are thrown away, so gokiln checks only stages that become a runtime image (hadolint reports every stage).',
  fix: 'apk add --no-cache pkg; apt-get update && apt-get install -y --no-install-recommends pkg && rm -rf /var/lib/apt/lists/*',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    const stages = new Map<number, Stage>();
    for (const rt of runtimeStages(model)) for (const s of imageChain(model, rt)) stages.set(s.index, s);
    for (const st of stages.values()) {
      for (const run of st.runs) {
        const cacheMounted = (p: RegExp) => run.mounts.some((m) => m.type === 'cache' && p.test(m.target ?? ''));
        for (const c of run.commands) {
          const w = c.words;
          if (w[0] === 'apk' && w[1] === 'add' && !w.includes('--no-cache') && !cacheMounted(/^\/var\/cache\/apk/)) {
            out.push({ line: c.line, message: 'apk add without --no-cache leaves the package index in the layer', fix: 'apk add --no-cache …' });
          }
          if ((w[0] === 'apt-get' || w[0] === 'apt') && w.includes('install')) {
            if (!w.includes('--no-install-recommends') && !cacheMounted(/^\/var\/(cache|lib)\/apt/)) {
              out.push({ line: c.line, message: `${w[0]} install without --no-install-recommends pulls in recommended packages`, fix: 'apt-get install -y --no-install-recommends …' });
            }
            if (!/rm\s+-[a-z]*r[a-z]*f?[a-z]*\s+[^&;]*\/var\/lib\/apt\/lists/.test(run.script) && !cacheMounted(/^\/var\/lib\/apt/)) {
              out.push({ line: c.line, message: `${w[0]} install without removing /var/lib/apt/lists in the same RUN keeps the package lists in the layer`, fix: '… && rm -rf /var/lib/apt/lists/*' });
            }
          }
        }
      }
    }
    return out;
  },
};
