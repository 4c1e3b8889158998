/** The LintKnowledge the CLI uses: answers taken from src/knowledge, nothing decided here but the mapping. */
import type { ImageRef } from '../knowledge/image-ref.js';
import type { ImageFacts, LintKnowledge } from './knowledge-port.js';
import { describeImage } from '../knowledge/image-model.js';
import { cgoModuleFor } from '../knowledge/cgo-libraries.js';
import { failureMessage, renderMessage } from '../knowledge/failure-messages.js';
import { releaseSupport, sameReleaseRuntimes } from '../knowledge/image-support.js';
import { goRelease } from '../knowledge/go-releases.js';
import { goCgoGlibcNeed } from '../knowledge/libc.js';
import { packageProvides } from '../knowledge/packages.js';
import { recommendedImages } from '../knowledge/image-choice.js';

const cache = new Map<string, ImageFacts>();
const recommendedByDay = new Map<string | undefined, ReturnType<typeof recommendedImages>>();

/** Facts are pure functions of the reference; the cache keeps a 1,000-file run from re-deriving them. */
function image(ref: ImageRef): ImageFacts {
  const key = `${ref.registry ?? ''}/${ref.repository}:${ref.tag ?? ''}`;
  let f = cache.get(key);
  if (!f) {
    f = Object.freeze(describeImage(ref)) as ImageFacts;
    cache.set(key, f);
  }
  return f;
}

export const defaultKnowledge: LintKnowledge = {
  image,
  goSupportEnd(minor) {
    return goRelease(minor)?.eol ?? undefined;
  },
  osSupport: releaseSupport,
  cgoOnlyModule(path) {
    const m = cgoModuleFor(path);
    return m ? { note: m.withoutCgo } : undefined;
  },
  goCgoGlibcNeed(builderGlibc) {
    return goCgoGlibcNeed(builderGlibc);
  },
  sameReleaseRuntimes,
  recommended(today) {
    // a pure function of the day, asked by several rules for every file: computed once per day
    let r = recommendedByDay.get(today);
    if (!r) recommendedByDay.set(today, (r = Object.freeze(recommendedImages(today))));
    return r;
  },
  packageProvides(manager, name) {
    return packageProvides(manager, name);
  },
  userLookupFailure(kind, name) {
    const m = failureMessage(kind === 'user' ? 'user-not-found' : 'group-not-found')!;
    return renderMessage(m.text, { [kind]: name });
  },
  cpuLevelRefusal(level) {
    return renderMessage(failureMessage('cpu-level')!.text, { level });
  },
  source: 'src/knowledge',
};
