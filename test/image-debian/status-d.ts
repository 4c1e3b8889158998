/**
 * A reader of /var/lib/dpkg/status.d the way syft's dpkg cataloguer reads a distroless image: every file
 * there not ending in `.md5sums` is a control stanza (Package, Version, Architecture…), and the files of
 * a package come from `status.d/<name>.md5sums` (each line `<md5>  <path without leading />`).
 * Independent of gokiln's own deb822 parser on purpose.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ScannedPackage {
  name: string;
  version: string;
  architecture: string;
  files: string[];
  /** md5 per file, to check against the file's bytes */
  md5: Map<string, string>;
}

export function readStatusD(root: string): ScannedPackage[] {
  const dir = join(root, 'var/lib/dpkg/status.d');
  const out: ScannedPackage[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.md5sums')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    const field = (k: string): string => new RegExp(`^${k}: (.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
    const md5 = new Map<string, string>();
    const sums = join(dir, `${f}.md5sums`);
    if (existsSync(sums)) {
      for (const line of readFileSync(sums, 'utf8').split('\n')) {
        const m = /^([0-9a-f]{32})\s+(.+)$/.exec(line);
        if (m) md5.set(`/${m[2]}`, m[1]!);
      }
    }
    out.push({ name: field('Package'), version: field('Version'), architecture: field('Architecture'), files: [...md5.keys()], md5 });
  }
  return out;
}

/** `name version` of each status.d stanza of an image (docker-archive:, oci:), read through gokiln's image reader. */
export async function statusDOfImage(image: string): Promise<string[]> {
  const { readImage } = await import('../../src/image/read/read-image.js');
  const img = await readImage(image);
  const dir = img.tree.lookup('/var/lib/dpkg/status.d');
  if (!dir.node || dir.node.type !== 'dir') return [];
  const out: string[] = [];
  for (const [name, node] of [...dir.node.children].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (name.endsWith('.md5sums') || node.type !== 'file') continue;
    const text = Buffer.from(await img.content(node)).toString('utf8');
    const field = (k: string): string => new RegExp(`^${k}: (.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
    out.push(`${field('Package')} ${field('Version')}`);
  }
  return out;
}
