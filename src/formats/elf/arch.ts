/** e_machine and OS/ABI markers mapped to Go's GOARCH and GOOS names. */
import type { ArchName, OsName } from '../binary.js';

export const EM = {
  SPARC: 2,
  I386: 3,
  MIPS: 8,
  MIPS_RS3_LE: 10,
  PPC: 20,
  PPC64: 21,
  S390: 22,
  ARM: 40,
  SPARCV9: 43,
  IA_64: 50,
  X86_64: 62,
  AARCH64: 183,
  RISCV: 243,
  LOONGARCH: 258,
} as const;

export function elfArch(machine: number, bits: 32 | 64, little: boolean): ArchName {
  switch (machine) {
    case EM.X86_64:
      return bits === 64 ? 'amd64' : 'amd64p32'; // ELFCLASS32 on x86-64 is the x32 ABI
    case EM.I386:
      return '386';
    case EM.ARM:
      return 'arm';
    case EM.AARCH64:
      return 'arm64';
    case EM.RISCV:
      return bits === 64 ? 'riscv64' : 'riscv';
    case EM.PPC64:
      return little ? 'ppc64le' : 'ppc64';
    case EM.PPC:
      return 'ppc';
    case EM.S390:
      return bits === 64 ? 's390x' : 's390';
    case EM.MIPS:
    case EM.MIPS_RS3_LE:
      return (bits === 64 ? 'mips64' : 'mips') + (little ? 'le' : '');
    case EM.LOONGARCH:
      return bits === 64 ? 'loong64' : 'loong32';
    case EM.SPARCV9:
      return 'sparc64';
    case EM.SPARC:
      return 'sparc';
    case EM.IA_64:
      return 'ia64';
    default:
      return `elf-machine-${machine}`;
  }
}

/** What the OS-identifying notes say: the owner name, and for a GNU ABI tag its OS word. */
export interface OsHints {
  osabi: number;
  interpreter: string | null;
  /** Owners of notes of type 1 (ABI tag / ident): 'FreeBSD', 'NetBSD', 'OpenBSD', 'Android', 'GNU'… */
  noteOwners: string[];
  /** The OS word of an NT_GNU_ABI_TAG note (0 Linux, 1 Hurd, 2 Solaris, 3 FreeBSD), or null. */
  gnuAbiOs: number | null;
}

const BY_OSABI: Record<number, OsName> = { 2: 'netbsd', 6: 'solaris', 7: 'aix', 9: 'freebsd', 12: 'openbsd' };
const BY_NOTE: Record<string, OsName> = { FreeBSD: 'freebsd', NetBSD: 'netbsd', OpenBSD: 'openbsd', Android: 'android' };
const BY_GNU_ABI: Record<number, OsName> = { 0: 'linux', 2: 'solaris', 3: 'freebsd' };

/**
 * The OS an ELF file targets. Go's linux binaries carry no OS marker at all (OS/ABI 0, no ABI tag), so
 * an ELF file with no contrary evidence is taken to be linux; Android is known only by its loader path.
 */
export function elfOs(h: OsHints): OsName {
  const byAbi = BY_OSABI[h.osabi];
  if (byAbi) return byAbi;
  const interp = h.interpreter ?? '';
  if (/^\/system\/bin\/linker(64)?$/.test(interp)) return 'android';
  if (interp === '/libexec/ld-elf.so.1') return 'freebsd';
  if (interp === '/usr/libexec/ld.so') return 'openbsd';
  if (interp === '/usr/libexec/ld.elf_so') return 'netbsd';
  if (/^\/usr\/lib\/(amd64\/|64\/|sparcv9\/)?ld\.so\.1$/.test(interp)) return 'solaris';
  for (const owner of h.noteOwners) {
    const os = BY_NOTE[owner];
    if (os) return os;
  }
  if (h.gnuAbiOs !== null) return BY_GNU_ABI[h.gnuAbiOs] ?? 'unknown';
  return 'linux';
}
