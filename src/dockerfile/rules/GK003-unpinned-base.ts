import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { registryOf, type ImageRef } from '../../knowledge/image-ref.js';
import type { RecommendedImages } from '../knowledge-port.js';
import { defaultKnowledge } from '../knowledge-adapter.js';

/** The tags to pin to, from the knowledge base: the newest Go's golang image and the Alpine and Debian it is built on. */
function pinExamples(r: RecommendedImages): string {
  return `${r.golangAlpine}, ${r.alpine}, ${r.golangDebian}, ${r.debianSlim}`;
}

/** A current tag of the same image, for the images gokiln knows (golang, alpine, debian, ubuntu, distroless). */
function pinFor(ref: ImageRef, r: RecommendedImages): string | null {
  const registry = ref.registry ? `${ref.registry}/` : '';
  // a golang:alpine or golang:1-alpine builder stays on musl: a Debian pin would change the libc the binary links
  if (ref.repository === 'golang') return `${registry}${/(^|-)alpine/.test(ref.tag ?? '') ? r.golangAlpine : r.golangDebian}`;
  if (ref.repository === 'alpine') return `${registry}${r.alpine}`;
  if (ref.repository === 'debian') return `${registry}${r.debianSlim}`;
  if (ref.repository === 'ubuntu') return `${registry}${r.ubuntu}`;
  // the same flavour on the current Debian: an untagged static-debian12 is also an old Debian
  const d = /^distroless\/([a-z-]+?)(?:-debian\d+)?$/.exec(ref.repository);
  if (d) return `${registry}distroless/${d[1]}-debian${r.distroless.debian}:nonroot`;
  return null;
}

export const GK003: Rule = {
  id: 'GK003',
  severity: 'warning',
  title: 'Base image is `latest` or untagged',
  explanation:
    'An untagged image means `latest`, which moves; so do tags that name no release (`golang:alpine`, `golang:1-alpine`, `golang:1`, ' +
    '`alpine:3`, `debian:stable`): the same Dockerfile builds a different Go, Alpine or Debian tomorrow, and rules such as ' +
    'GK001 and GK002 cannot check what they cannot see. A tag can also be re-pushed; a digest (`@sha256:…`) cannot, so digest pinning is ' +
    'suggested as info for images from registries not listed in lint.trustedRegistries. A FROM that takes the whole image from an ARG ' +
    '(`FROM ${BUILD_IMAGE}`) is a build parameter: an untagged default there is info, as the build usually passes its own.',
  fix: `Pin a version tag (${pinExamples(defaultKnowledge.recommended())}); pin the digest too for reproducible builds.`,
  check: ({ model, config, knowledge, today }) => {
    const out: RawFinding[] = [];
    const rec = knowledge.recommended(today);
    for (const st of model.stages) {
      if (st.parentStage !== undefined || !st.base) continue;
      const ref = st.base;
      if (ref.repository === 'scratch') continue;
      if (ref.digest) continue;
      const moving = st.image.movingTag;
      if (ref.tag === undefined || ref.tag === 'latest' || moving) {
        const pin = pinFor(ref, rec);
        // FROM ${BUILD_IMAGE}: the whole image is a build parameter; its default (often a placeholder the
        // Makefile always overrides) is a fallback, so its tag is noted, not warned about
        const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(st.fromRaw.trim());
        if (whole) {
          out.push({
            line: st.line,
            severity: 'info',
            message: `FROM ${st.fromRaw} takes the whole image from ARG ${whole[1]}, whose default ${ref.raw} ${ref.tag === undefined ? 'has no tag' : `is ${ref.raw.includes(':') ? 'on a moving tag' : 'untagged'}`}: a build that keeps the default gets whatever it points to that day`,
            fix: `pin the default (ARG ${whole[1]}=${pin ?? `${ref.raw.replace(/:[^/]*$/, '')}:<version>`}), and a version in the --build-arg ${whole[1]}=… your build passes`,
          });
          continue;
        }
        out.push({
          line: st.line,
          message:
            ref.tag === undefined
              ? `${ref.raw} has no tag, so it means ${ref.raw}:latest, which changes under you`
              : ref.tag === 'latest'
                ? `${ref.raw} uses the moving tag latest`
                : `${moving}: the same Dockerfile builds with another release tomorrow`,
          fix: pin
            ? `pin a version tag: FROM ${pin}; pin the digest too for reproducible builds`
            : `pin a version tag (${pinExamples(rec)}); pin the digest too for reproducible builds`,
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
