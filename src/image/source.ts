/**
 * The two small interfaces where image parts meet (as ko's build/publish and go-containerregistry's v1.Image):
 * an ImageSource gives an image's manifest, config and layer streams, whatever it comes from (a registry, an
 * `oci:` layout, a docker-archive, the embedded base); a FileEntry is one file of a layer or of an image's
 * file tree, as layer writers, the Debian base assembler and verify's tree all speak it.
 */
import type { Readable } from 'node:stream';
import type { Descriptor, ImageConfig, ImageIndex, Manifest, Platform } from './oci.js';

/** One image, resolved for one platform. */
export interface ResolvedImage {
  /** what the user named (`oci:dir:tag`, `localhost:5000/app:1`, `embedded`) */
  name: string;
  /** the digest of the manifest as stored (what `base.digest` annotations name) */
  manifestDigest: string;
  manifest: Manifest;
  config: ImageConfig;
  /** the raw config bytes, so a publisher keeps its digest */
  configBytes: Uint8Array;
  /** a layer's stored (usually compressed) bytes; the digest is checked while the stream is read */
  openLayer(layer: Descriptor): Promise<Readable>;
}

export interface ImageSource {
  name: string;
  /** the index when the source holds one (several platforms), else null */
  index(): Promise<ImageIndex | null>;
  /** the image for a platform; refused with E_PLATFORM naming the platforms there are when none matches */
  resolve(platform: Platform): Promise<ResolvedImage>;
}

/** A file of a layer or image tree. Paths are absolute inside the image (`/etc/passwd`), normalised, no trailing slash. */
export interface FileEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink';
  /** permission bits incl. setuid/setgid/sticky (0o4755), not the type bits */
  mode: number;
  uid: number;
  gid: number;
  /** seconds since the epoch; writers use one fixed time for reproducible layers */
  mtime?: number;
  /** symlink target, or the hard link's target path inside the image */
  linkname?: string;
  /** a file's bytes (small files); large files give `open` instead */
  content?: Uint8Array;
  size?: number;
  open?: () => Readable;
}
