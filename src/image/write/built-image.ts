/** A finished image in a BlobStore (the staging directory every publisher reads): its top descriptor and per-platform parts. */
import type { Descriptor, Platform } from '../oci.js';
import type { BlobStore } from './blob-store.js';
import type { MediaStyle } from './manifest.js';

export interface BuiltPlatform {
  platform: Platform;
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
}

export interface BuiltImage {
  store: BlobStore;
  style: MediaStyle;
  /** the image index when there are several platforms, else the one manifest */
  top: Descriptor;
  platforms: BuiltPlatform[];
  /** `name:tag` split; the name is what docker-archive's RepoTags and `repositories` use */
  repository: string;
  tag: string;
  /** more manifests the layout lists beside the image (an SBOM artifact), each with its own ref name */
  extras: Array<{ descriptor: Descriptor; refName: string }>;
}
