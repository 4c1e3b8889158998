/** Opening fixtures with gokiln's own reader as BinaryImages, for the Go-reader tests. */
import { strict as assert } from 'node:assert';
import type { BinaryImage } from '../../src/formats/binary.js';
import { parseBinary } from '../../src/formats/open.js';
import { FileSource } from '../../src/io/file-source.js';

export function openImages(path: string): BinaryImage[] {
  return parseBinary(FileSource.open(path));
}

export function openImage(path: string): BinaryImage {
  const imgs = openImages(path);
  assert.equal(imgs.length, 1, `${path}: expected one image`);
  return imgs[0] as BinaryImage;
}
