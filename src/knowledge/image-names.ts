/**
 * The one place that writes an image reference gokiln recommends or generates (`golang:1.27-alpine3.24`,
 * `debian:trixie-slim`, `gcr.io/distroless/static-debian13:nonroot`). Reading a reference is
 * image-ref.ts + image-model.ts; a name written here reads back to the same family, release and variant
 * (test/knowledge/image-model.test.ts checks the round trip for every release in the tables).
 */
import type { DistrolessFlavour } from './distroless.js';

/** What a generated reference says: the family and the parts of its tag, nothing else. */
export type ImageSpec =
  | { family: 'golang'; go: string; os: 'alpine'; release: string }
  | { family: 'golang'; go: string; os: 'debian'; suite: string }
  | { family: 'alpine'; release: string }
  | { family: 'debian'; suite: string; slim: boolean }
  | { family: 'ubuntu'; version: string }
  | { family: 'distroless'; flavour: DistrolessFlavour; debian: number; tag?: 'nonroot' | 'debug' | 'debug-nonroot' };

/** The registry and repository of Google's distroless images. */
export const DISTROLESS_REPOSITORY = 'gcr.io/distroless';

export function imageName(s: ImageSpec): string {
  switch (s.family) {
    case 'golang':
      return s.os === 'alpine' ? `golang:${s.go}-alpine${s.release}` : `golang:${s.go}-${s.suite}`;
    case 'alpine':
      return `alpine:${s.release}`;
    case 'debian':
      return `debian:${s.suite}${s.slim ? '-slim' : ''}`;
    case 'ubuntu':
      return `ubuntu:${s.version}`;
    case 'distroless':
      return `${DISTROLESS_REPOSITORY}/${s.flavour}-debian${s.debian}${s.tag ? `:${s.tag}` : ''}`;
  }
}
