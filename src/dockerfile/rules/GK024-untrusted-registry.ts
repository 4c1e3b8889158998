import type { Rule } from '../rule.js';
import { registryOf } from '../../knowledge/image-ref.js';

export const GK024: Rule = {
  id: 'GK024',
  severity: 'warning',
  title: 'Base image from a registry not in lint.trustedRegistries',
  explanation:
    'When .gokiln.yaml lists trusted registries, every base image must come from one of them (Docker Hub is `docker.io`). Without the list ' +
    'this rule is silent.',
  fix: 'Mirror the image into a trusted registry, or add the registry to lint.trustedRegistries.',
  check: ({ model, config }) => {
    if (!config.trustedRegistries.length) return [];
    return model.stages
      .filter(
        (s) =>
          s.parentStage === undefined &&
          s.base &&
          s.base.repository !== 'scratch' &&
          !config.trustedRegistries.includes(registryOf(s.base)),
      )
      .map((s) => ({ line: s.line, message: `${s.base!.raw} comes from ${registryOf(s.base!)}, which is not in lint.trustedRegistries` }));
  },
};
