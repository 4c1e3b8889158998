/**
 * What a dynamically linked ELF file asks of its root file system, read with gokiln's own ELF reader (the
 * file is never run): its loader (PT_INTERP), its DT_NEEDED sonames and the newest GLIBC_x.y it needs.
 */
import { GokilnError } from '../../errors.js';
import { highestGlibc, parseElf } from '../../formats/elf/index.js';
import { BufferSource, type ByteSource } from '../../formats/source.js';
import { FileSource } from '../../io/file-source.js';
import { DEBIAN_ARCH } from '../../knowledge/libc.js';

export interface ElfNeeds {
  /** a label for messages and reasons: the path, or `pkg:/usr/lib/…` for a file of a package */
  file: string;
  /** Debian architecture (`amd64`) */
  arch: string;
  interpreter: string | null;
  needed: string[];
  /** newest GLIBC_x.y needed, bare (`2.34`), or null */
  glibc: string | null;
}

export function needsOfSource(src: ByteSource, file: string): ElfNeeds {
  const img = parseElf(src);
  const elf = img.elf;
  // Go's GOARCH (what the ELF reader names) → the Debian architecture
  const arch = (DEBIAN_ARCH as Record<string, string>)[img.arch];
  if (!arch) throw new GokilnError('E_PLATFORM', `${file}: ${img.arch} has no Debian architecture gokiln knows`, { file });
  return { file, arch, interpreter: elf.interpreter, needed: [...elf.needed], glibc: highestGlibc(elf.versionNeeds) };
}

export function needsOfFile(path: string): ElfNeeds {
  const src = FileSource.open(path);
  try {
    return needsOfSource(src, path);
  } finally {
    src.close();
  }
}

export function needsOfBytes(bytes: Uint8Array, file: string): ElfNeeds | null {
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return null;
  return needsOfSource(new BufferSource(bytes), file);
}
