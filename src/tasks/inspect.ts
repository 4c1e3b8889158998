/**
 * `inspectBinaries`: the whole of `gokiln inspect FILE...` but the printing. The runtimes asked for may be
 * names gokiln knows (`alpine:3.22`) or real images (`oci:DIR`, `docker-archive:FILE`, `docker://REF`, a root
 * file system directory), which are read once with verify's reader and judged by verify's checks.
 */
import { GokilnError } from '../errors.js';
import { resolveRuntimes } from '../analysis/inspect.js';
import { inspectFiles, type InspectManyOptions } from '../analysis/inspect-many.js';
import type { InspectResult } from '../analysis/types.js';
import { checkPathInImage } from '../analysis/verdict.js';

export interface InspectBinariesOptions extends Omit<InspectManyOptions, 'runtimes'> {
  /** Runtime names and image arguments to judge against (default: the built-in default set). */
  runtimes?: string[];
}

/** One result per file, in order; a file that could not be read is an `error` result, not an exception. */
export async function inspectBinaries(files: string[], opts: InspectBinariesOptions = {}): Promise<InspectResult[]> {
  if (files.length === 0) throw new GokilnError('E_USAGE', 'inspect: give at least one file');
  // verify's image reader (streams, zlib, crypto, tar) is loaded only when runtimes are named: a plain
  // `inspect FILE` never pays for it at start-up (bench/node)
  const asked = opts.runtimes ?? [];
  const inImage = asked.length ? await import('../verify/in-image.js') : null;
  const images = inImage ? asked.filter(inImage.isImageArgument) : [];
  const names = asked.filter((r) => !inImage?.isImageArgument(r));
  resolveRuntimes(names); // an unknown runtime name is a usage error before any work
  const pathInImage = opts.pathInImage ?? '/app';
  checkPathInImage(pathInImage); // before any file is read
  const results = await inspectFiles(files, { ...opts, runtimes: names });
  for (const image of images) {
    const view = await inImage!.openImageRuntime(image, pathInImage);
    for (const r of results) if (!('error' in r)) r.runtimes.push(await inImage!.judgeInImage(view, r.file, pathInImage));
  }
  // only images asked for: the built-in runtimes are not listed
  if (images.length && names.length === 0)
    for (const r of results) if (!('error' in r)) r.runtimes = r.runtimes.filter((v) => images.includes(v.name));
  return results;
}
