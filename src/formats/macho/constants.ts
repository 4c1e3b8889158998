/**
 * Numbers from Apple's <mach-o/loader.h>, <mach-o/fat.h>, <mach-o/nlist.h> and <mach/machine.h>
 * that the Mach-O reader needs, with Go's GOARCH name for each CPU type.
 */

export const MH_MAGIC = 0xfeedface;
export const MH_MAGIC_64 = 0xfeedfacf;
export const FAT_MAGIC = 0xcafebabe;
export const FAT_MAGIC_64 = 0xcafebabf;

/** Commands dyld must understand have the top bit set; `>>> 0` keeps the OR an unsigned number. */
export const LC_REQ_DYLD = 0x80000000;
export const LC_SEGMENT = 0x1;
export const LC_SYMTAB = 0x2;
export const LC_UNIXTHREAD = 0x5;
export const LC_DYSYMTAB = 0xb;
export const LC_LOAD_DYLIB = 0xc;
export const LC_LOAD_DYLINKER = 0xe;
export const LC_LOAD_WEAK_DYLIB = (0x18 | LC_REQ_DYLD) >>> 0;
export const LC_SEGMENT_64 = 0x19;
export const LC_UUID = 0x1b;
export const LC_RPATH = (0x1c | LC_REQ_DYLD) >>> 0;
export const LC_REEXPORT_DYLIB = (0x1f | LC_REQ_DYLD) >>> 0;
export const LC_LAZY_LOAD_DYLIB = 0x20;
export const LC_LOAD_UPWARD_DYLIB = (0x23 | LC_REQ_DYLD) >>> 0;
export const LC_VERSION_MIN_MACOSX = 0x24;
export const LC_VERSION_MIN_IPHONEOS = 0x25;
export const LC_VERSION_MIN_TVOS = 0x2f;
export const LC_VERSION_MIN_WATCHOS = 0x30;
export const LC_MAIN = (0x28 | LC_REQ_DYLD) >>> 0;
export const LC_BUILD_VERSION = 0x32;

/** Section type is the low byte of section flags; these three occupy no file bytes. */
export const S_ZEROFILL = 0x1;
export const S_GB_ZEROFILL = 0xc;
export const S_THREAD_LOCAL_ZEROFILL = 0x12;
export const S_ATTR_PURE_INSTRUCTIONS = 0x80000000;
export const S_ATTR_SOME_INSTRUCTIONS = 0x400;
export const S_ATTR_DEBUG = 0x02000000;

export const VM_PROT_READ = 1;
export const VM_PROT_WRITE = 2;
export const VM_PROT_EXECUTE = 4;

/** nlist n_type masks and values. */
export const N_STAB = 0xe0;
export const N_TYPE = 0x0e;
export const N_UNDF = 0x0;
export const N_ABS = 0x2;
export const N_SECT = 0xe;

const CPU_ARCH_ABI64 = 0x01000000;
const CPU_ARCH_ABI64_32 = 0x02000000;
export const CPU_TYPE_X86 = 7;
export const CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
export const CPU_TYPE_ARM = 12;
export const CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
export const CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
export const CPU_TYPE_POWERPC = 18;
export const CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;

/** Go's GOARCH for a Mach-O cputype; CPUs Go never targeted keep Apple's name. */
export function machoArch(cpuType: number): string {
  switch (cpuType) {
    case CPU_TYPE_X86_64:
      return 'amd64';
    case CPU_TYPE_ARM64:
      return 'arm64';
    case CPU_TYPE_X86:
      return '386';
    case CPU_TYPE_ARM:
      return 'arm';
    case CPU_TYPE_POWERPC64:
      return 'ppc64';
    case CPU_TYPE_POWERPC:
      return 'ppc';
    case CPU_TYPE_ARM64_32:
      return 'arm64_32';
    default:
      return `cpu-0x${(cpuType >>> 0).toString(16)}`;
  }
}

/** LC_BUILD_VERSION platform numbers that Go calls GOOS=ios (device and simulator). */
export const PLATFORM_IOS = 2;
export const PLATFORM_IOSSIMULATOR = 7;

const PLATFORM_NAMES: Record<number, string> = {
  1: 'macos',
  2: 'ios',
  3: 'tvos',
  4: 'watchos',
  5: 'bridgeos',
  6: 'maccatalyst',
  7: 'iossimulator',
  8: 'tvossimulator',
  9: 'watchossimulator',
  10: 'driverkit',
  11: 'visionos',
  12: 'visionossimulator',
};

export function platformName(p: number): string {
  return PLATFORM_NAMES[p] ?? `platform-${p}`;
}

/** Apple's packed xxxx.yy.zz version as "12.0" or "10.13.4". */
export function formatVersion(v: number): string {
  const major = v >>> 16;
  const minor = (v >>> 8) & 0xff;
  const patch = v & 0xff;
  return patch ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
}
