/**
 * `buildImage`: `gokiln build` with verify's static checks wired in. build and verify sit side by side in the
 * layers and do not import each other; this task hands build the one checker verify judges images with
 * (src/build/image-check.ts), so a cgo binary on a given base is refused with the message the container
 * would print, before anything is written.
 */
import { verifyImage } from '../verify/verify.js';
import { buildImage as buildImageWith, type BuildResult } from '../build/build.js';
import type { BuildOptions } from '../build/options.js';

export function buildImage(opts: BuildOptions): Promise<BuildResult> {
  return buildImageWith({ checkImage: (image, o) => verifyImage(image, o), ...opts });
}
