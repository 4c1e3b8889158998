import { GokilnError } from '../../errors.js';
import { Reader } from '../source.js';
import * as C from './constants.js';

export interface RawSection {
  name: string;
  segment: string;
  addr: number;
  size: number;
  offset: number;
  flags: number;
}

export interface RawSegment {
  name: string;
  vmaddr: number;
  vmsize: number;
  fileoff: number;
  filesize: number;
  initprot: number;
  sections: RawSection[];
}

export interface SymtabCommand {
  symoff: number;
  nsyms: number;
  stroff: number;
  strsize: number;
}

export interface DysymtabCommand {
  nlocalsym: number;
  nextdefsym: number;
  nundefsym: number;
}

/** What the load commands say, before it is turned into the format-neutral image. */
export interface LoadCommands {
  segments: RawSegment[];
  symtab: SymtabCommand | null;
  dysymtab: DysymtabCommand | null;
  dylibs: string[];
  rpaths: string[];
  dylinker: string | null;
  /** LC_MAIN entryoff: a file offset of the entry point within __TEXT. */
  entryOff: number | null;
  /** Program counter from an LC_UNIXTHREAD (binaries older than LC_MAIN). */
  threadPc: number | null;
  uuid: string | null;
  platform: number | null;
  minOs: string | null;
  sdk: string | null;
  /** LC_VERSION_MIN_IPHONEOS/TVOS/WATCHOS seen: not macOS. */
  versionMinPlatform: number | null;
}

/** Fixed 16-byte name fields are NUL-padded, but not NUL-terminated when all 16 bytes are used. */
function name16(r: Reader, off: number): string {
  return r.cstring(off, 16);
}

/** An lc_str: a u32 offset, from the start of the command, to a NUL-terminated string inside it. */
function lcStr(r: Reader, fieldOff: number, what: string): string {
  const off = r.u32(fieldOff);
  if (off < fieldOff + 4 || off >= r.length) {
    throw new GokilnError('E_CORRUPT', `${what}: string offset ${off} lies outside its ${r.length}-byte load command`);
  }
  return r.cstring(off, r.length - off);
}

/**
 * Walks the `ncmds` load commands in `cmds` (the `sizeofcmds` bytes after the header). Every count
 * is checked against the bytes it claims before anything is allocated for it.
 */
export function readLoadCommands(cmds: Reader, ncmds: number, cputype: number): LoadCommands {
  const out: LoadCommands = {
    segments: [],
    symtab: null,
    dysymtab: null,
    dylibs: [],
    rpaths: [],
    dylinker: null,
    entryOff: null,
    threadPc: null,
    uuid: null,
    platform: null,
    minOs: null,
    sdk: null,
    versionMinPlatform: null,
  };
  if (ncmds > cmds.length / 8) {
    throw new GokilnError('E_CORRUPT', `${ncmds} load commands cannot fit in ${cmds.length} bytes`);
  }
  let off = 0;
  for (let i = 0; i < ncmds; i++) {
    if (off + 8 > cmds.length) {
      throw new GokilnError('E_TRUNCATED', `load command ${i} of ${ncmds} starts past the ${cmds.length} bytes of commands`);
    }
    const cmd = cmds.u32(off);
    const cmdsize = cmds.u32(off + 4);
    if (cmdsize < 8 || off + cmdsize > cmds.length) {
      throw new GokilnError(
        'E_CORRUPT',
        `load command ${i} (0x${cmd.toString(16)}) has size ${cmdsize}, which does not fit in the ${cmds.length} bytes of commands`,
      );
    }
    const r = new Reader(cmds.slice(off, cmdsize), cmds.littleEndian);
    readOne(r, cmd, cputype, out);
    off += cmdsize;
  }
  return out;
}

function readOne(r: Reader, cmd: number, cputype: number, out: LoadCommands): void {
  switch (cmd) {
    case C.LC_SEGMENT:
    case C.LC_SEGMENT_64:
      out.segments.push(readSegment(r, cmd === C.LC_SEGMENT_64));
      return;
    case C.LC_SYMTAB:
      // symoff, nsyms, stroff, strsize
      out.symtab = { symoff: r.u32(8), nsyms: r.u32(12), stroff: r.u32(16), strsize: r.u32(20) };
      return;
    case C.LC_DYSYMTAB:
      // ilocalsym, nlocalsym, iextdefsym, nextdefsym, iundefsym, nundefsym, …
      out.dysymtab = { nlocalsym: r.u32(12), nextdefsym: r.u32(20), nundefsym: r.u32(28) };
      return;
    case C.LC_LOAD_DYLIB:
    case C.LC_LOAD_WEAK_DYLIB:
    case C.LC_REEXPORT_DYLIB:
    case C.LC_LAZY_LOAD_DYLIB:
    case C.LC_LOAD_UPWARD_DYLIB:
      // dylib { lc_str name; timestamp; current_version; compatibility_version }
      out.dylibs.push(lcStr(r, 8, 'dylib command'));
      return;
    case C.LC_RPATH:
      out.rpaths.push(lcStr(r, 8, 'LC_RPATH'));
      return;
    case C.LC_LOAD_DYLINKER:
      out.dylinker = lcStr(r, 8, 'LC_LOAD_DYLINKER');
      return;
    case C.LC_MAIN:
      // entryoff u64, stacksize u64
      out.entryOff = r.u64(8);
      return;
    case C.LC_UNIXTHREAD:
      out.threadPc = threadPc(r, cputype);
      return;
    case C.LC_UUID:
      out.uuid = Array.from(r.slice(8, 16), (b) => b.toString(16).padStart(2, '0')).join('');
      return;
    case C.LC_BUILD_VERSION:
      // platform, minos, sdk, ntools, tools[]
      out.platform = r.u32(8);
      out.minOs = C.formatVersion(r.u32(12));
      out.sdk = C.formatVersion(r.u32(16));
      return;
    case C.LC_VERSION_MIN_MACOSX:
    case C.LC_VERSION_MIN_IPHONEOS:
    case C.LC_VERSION_MIN_TVOS:
    case C.LC_VERSION_MIN_WATCHOS:
      // version, sdk; LC_BUILD_VERSION wins when both appear
      if (out.platform === null) {
        out.minOs = C.formatVersion(r.u32(8));
        out.sdk = C.formatVersion(r.u32(12));
        if (cmd !== C.LC_VERSION_MIN_MACOSX) out.versionMinPlatform = cmd;
      }
      return;
  }
}

function readSegment(r: Reader, is64: boolean): RawSegment {
  // segment_command(_64): cmd, cmdsize, segname[16], vmaddr, vmsize, fileoff, filesize (u32 or u64),
  // maxprot, initprot, nsects, flags
  const name = name16(r, 8);
  let vmaddr: number, vmsize: number, fileoff: number, filesize: number, p: number;
  if (is64) {
    vmaddr = r.u64(24);
    vmsize = r.u64(32);
    fileoff = r.u64(40);
    filesize = r.u64(48);
    p = 56;
  } else {
    vmaddr = r.u32(24);
    vmsize = r.u32(28);
    fileoff = r.u32(32);
    filesize = r.u32(36);
    p = 40;
  }
  const initprot = r.u32(p + 4);
  const nsects = r.u32(p + 8);
  const hdr = p + 16;
  const secSize = is64 ? 80 : 68;
  if (nsects > (r.length - hdr) / secSize) {
    throw new GokilnError('E_CORRUPT', `segment ${name} claims ${nsects} sections, more than its ${r.length}-byte command holds`);
  }
  const sections: RawSection[] = [];
  for (let i = 0; i < nsects; i++) {
    const s = hdr + i * secSize;
    // section(_64): sectname[16], segname[16], addr, size (u32 or u64), offset, align, reloff, nreloc,
    // flags, reserved1, reserved2(, reserved3)
    const addr = is64 ? r.u64(s + 32) : r.u32(s + 32);
    const size = is64 ? r.u64(s + 40) : r.u32(s + 36);
    const q = is64 ? s + 48 : s + 40;
    sections.push({
      name: name16(r, s),
      segment: name16(r, s + 16),
      addr,
      size,
      offset: r.u32(q),
      flags: r.u32(q + 16),
    });
  }
  return { name, vmaddr, vmsize, fileoff, filesize, initprot, sections };
}

/** The PC register in an LC_UNIXTHREAD thread state, for the CPUs Go has targeted. */
function threadPc(r: Reader, cputype: number): number | null {
  // thread_command: cmd, cmdsize, then (flavor, count, state[count u32]) records
  let off = 8;
  while (off + 8 <= r.length) {
    const flavor = r.u32(off);
    const count = r.u32(off + 4);
    const state = off + 8;
    if (count > (r.length - state) / 4) return null;
    if (cputype === C.CPU_TYPE_X86_64 && flavor === 4 && count >= 42) return r.u64(state + 16 * 8); // rip
    if (cputype === C.CPU_TYPE_ARM64 && flavor === 6 && count >= 68) return r.u64(state + 32 * 8); // pc
    if (cputype === C.CPU_TYPE_X86 && flavor === 1 && count >= 16) return r.u32(state + 10 * 4); // eip
    if (cputype === C.CPU_TYPE_ARM && flavor === 1 && count >= 17) return r.u32(state + 15 * 4); // r15
    off = state + count * 4;
  }
  return null;
}
