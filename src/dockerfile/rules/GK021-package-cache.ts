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
    'stages are thrown away, so gokiln checks only stages that become a runtime image (hadolint reports every stage). `apk update` ' +
    'stores the index in /var/cache/apk too, unless the same RUN removes it (one finding per RUN with an `apk add` that keeps it).',
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
          // the verb is the first word that is no option (`apk --update add`, `apk -U add`)
          const apkVerb = w[0] === 'apk' ? w.slice(1).find((x) => !x.startsWith('-')) : undefined;
          const apkCacheKept =
            !cacheMounted(/^\/var\/cache\/apk/) && !/rm\s+-[a-z]*r[a-z]*f?[a-z]*\s+[^&;]*\/var\/cache\/apk/.test(run.script);
          if (apkVerb === 'add' && !w.includes('--no-cache') && apkCacheKept) {
            out.push({
              line: c.line,
              message: 'apk add without --no-cache leaves the package index in the layer',
              fix: 'apk add --no-cache …',
            });
          }
          // one finding per layer: an apk add without --no-cache in the same RUN already says the index stays
          const addKeeps = run.commands.some(
            (o) => o.words[0] === 'apk' && o.words.slice(1).find((x) => !x.startsWith('-')) === 'add' && !o.words.includes('--no-cache'),
          );
          if (apkVerb === 'update' && apkCacheKept && !addKeeps) {
            out.push({
              line: c.line,
              message: 'apk update stores the package index in /var/cache/apk, and it stays in the layer',
              fix: 'drop apk update and use apk add --no-cache (it fetches the index without keeping it)',
            });
          }
          if ((w[0] === 'apt-get' || w[0] === 'apt') && w.includes('install')) {
            if (!w.includes('--no-install-recommends') && !cacheMounted(/^\/var\/(cache|lib)\/apt/)) {
              out.push({
                line: c.line,
                message: `${w[0]} install without --no-install-recommends pulls in recommended packages`,
                fix: 'apt-get install -y --no-install-recommends …',
              });
            }
            if (!/rm\s+-[a-z]*r[a-z]*f?[a-z]*\s+[^&;]*\/var\/lib\/apt\/lists/.test(run.script) && !cacheMounted(/^\/var\/lib\/apt/)) {
              out.push({
                line: c.line,
                message: `${w[0]} install without removing /var/lib/apt/lists in the same RUN keeps the package lists in the layer`,
                fix: '… && rm -rf /var/lib/apt/lists/*',
              });
            }
          }
        }
      }
    }
    return out;
  },
};
