/**
 * How an ELF executable gets its code at run time, and which C library it was built against. These are
 * the facts behind "will it run in this image": a dynamic binary needs its loader and libraries there.
 */
import type { BinaryImage, ElfDetails, SymbolEntry } from '../binary.js';
import { findSection } from '../binary.js';

export type ElfLinking = 'static' | 'static-pie' | 'dynamic';
export type LibcFamily = 'glibc' | 'musl' | 'none' | 'other';

/** Extra facts the ELF reader records beyond the shared ElfDetails (see src/formats/elf/index.ts). */
interface ElfExtras {
  gnuAbiTag?: { os: number; version: string } | null;
}

/**
 * 'dynamic' when a loader (PT_INTERP) or a library (DT_NEEDED) is needed: executables and shared
 * libraries alike. 'static-pie' for a position-independent file with a dynamic table that needs
 * neither (it relocates itself: gcc -static-pie, musl's ld-musl-*.so.1). 'static' otherwise.
 * `file` differs on one kind: a PT_DYNAMIC without DT_FLAGS_1 and without DT_NEEDED (glibc's own
 * ld-linux.so) is "dynamically linked" there and 'static-pie' here, which is what it is at run time.
 */
export function elfLinking(img: BinaryImage): ElfLinking {
  const elf = img.elf;
  if (!elf) return 'dynamic';
  if (elf.interpreter !== null || elf.needed.length > 0) return 'dynamic';
  if (elf.type === 'dyn' && elf.hasDynamic) return 'static-pie';
  return 'static';
}

const GLIBC_LOADER = /(^|\/)(ld-linux[^/]*\.so\.\d+|ld64\.so\.\d+)$/;
const GLIBC_LOADER_OLD = /^\/lib(32|64)?\/ld\.so\.1$/; // glibc on mips, ppc32, s390 (Solaris uses /usr/lib)
const MUSL_LOADER = /(^|\/)ld-musl-[^/]+\.so\.1$/;
const MUSL_LIBC = /^libc\.musl-[^/]+\.so\.1$/;

// Symbols only one of the two C libraries defines in a static link (glibc csu/ and elf/; musl src/env/).
const GLIBC_STATIC_SYMBOLS = new Set(['__libc_setup_tls', '_dl_relocate_static_pie', '__libc_start_call_main', '_dl_aux_init']);
const MUSL_STATIC_SYMBOLS = new Set(['__init_libc', '__libc_start_init', '__dls2', '__init_tp']);

/**
 * The C library a binary uses. Dynamic files: from DT_NEEDED (libc.so.6 → glibc, libc.musl-*.so.1 or
 * libc.so → musl), then the loader path, then the file's own soname (for libc itself). Static files:
 *  1. glibc when its crt1.o's NT_GNU_ABI_TAG note is there ("for GNU/Linux 3.2.0" in `file`) or the
 *     OS/ABI byte is GNU (set for glibc's IFUNCs); musl's start files add no note;
 *  2. 'none' when there is no C start-up code (.init and .fini, from crti.o): a CGO_ENABLED=0 Go binary;
 *  3. else by symbols that only one libc defines, when a .symtab is left;
 *  4. else 'other': C start-up code whose libc is not recognisable (a stripped musl static binary).
 * The contents of .rodata are not scanned: that would read megabytes for a weak signal.
 */
export function libcFamily(img: BinaryImage): LibcFamily {
  const elf = img.elf as (ElfDetails & ElfExtras) | undefined;
  if (!elf) return 'other';
  const names = [...elf.needed, ...(elf.soname !== null ? [elf.soname] : [])];
  for (const n of names) {
    if (n === 'libc.so.6') return 'glibc';
    // musl's libc is plain "libc.so" (Go's openbsd binaries also need a "libc.so": not musl)
    if (MUSL_LIBC.test(n) || (n === 'libc.so' && img.os === 'linux')) return 'musl';
  }
  const interp = elf.interpreter;
  if (interp !== null) {
    if (MUSL_LOADER.test(interp)) return 'musl';
    if (img.os === 'linux' && (GLIBC_LOADER.test(interp) || GLIBC_LOADER_OLD.test(interp))) return 'glibc';
    return 'other';
  }
  if (elf.needed.length > 0) return 'other';
  if (elf.gnuAbiTag?.os === 0 || elf.osabi === 3) return 'glibc';
  // Both libcs' start files (crti.o) bring .init and .fini: without either, no C library was linked in
  // (a CGO_ENABLED=0 Go binary), and its tens of thousands of symbols need not be read to say so. One of
  // the two left (the other removed with objcopy) is still C start-up code, so not 'none'.
  const startFiles = !!findSection(img, '.init') || !!findSection(img, '.fini');
  if (!startFiles) return 'none';
  let syms: SymbolEntry[] = [];
  try {
    syms = img.definedSymbols([...GLIBC_STATIC_SYMBOLS, ...MUSL_STATIC_SYMBOLS]);
  } catch {
    // a damaged symbol table only removes this piece of evidence
  }
  for (const s of syms) {
    if (GLIBC_STATIC_SYMBOLS.has(s.name)) return 'glibc';
    if (MUSL_STATIC_SYMBOLS.has(s.name)) return 'musl';
  }
  return 'other';
}
