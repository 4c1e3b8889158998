import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { registryOf } from '../image-ref.js';

export const GK003: Rule = {
  id: 'GK003',
  severity: 'warning',
  title: 'Base image is `latest` or untagged',
  explanation:
    'An untagged image means `latest`, which moves: the same Dockerfile builds a different Go, Alpine or Debian tomorrow, and rules such as ' +
    'GK001 and GK002 cannot check what they cannot see. A tag can also be re-pushed; a digest (`@sha256:…`) cannot, so digest pinning is ' +
    'suggested as info for images from registries not listed in lint.trustedRegistries.',
  fix: 'Pin a version tag (golang:1.23-alpine3.20, alpine:3.20); pin the digest too for reproducible builds.',
  check: ({ model, config }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      if (st.parentStage !== undefined || !st.base) continue;
      const ref = st.base;
      if (ref.repository === 'scratch') continue;
      if (ref.digest) continue;
      if (ref.tag === undefined || ref.tag === 'latest') {
        out.push({
          line: st.line,
          message: ref.tag === undefined ? `${ref.raw} has no tag, so it means ${ref.raw}:latest, which changes under you` : `${ref.raw} uses the moving tag latest`,
        });
        continue;
      }
      if (config.trustedRegistries.includes(registryOf(ref))) continue;
      out.push({
        line: st.line,
        severity: 'info',
        message: `${ref.raw} is pinned by tag only; a tag can be re-pushed`,
        fix: `pin the digest: FROM ${ref.raw}@sha256:…`,
      });
    }
    return out;
  },
};
