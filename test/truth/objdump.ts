/** binutils' objdump as an independent truth for PE files (section headers, imported DLLs). */
import { runTool } from './tools.js';

export interface ObjdumpSection {
  name: string;
  /** objdump's Size column: min(VirtualSize, SizeOfRawData) for PE, uncompressed for .zdebug_* */
  size: number;
  vma: number;
  fileOffset: number;
  /** the flags line under the row (CONTENTS, ALLOC, LOAD, …) */
  flags: string;
}

/** Section headers in order, from `objdump -h`. */
export function objdumpSections(path: string): ObjdumpSection[] {
  return [
    ...runTool('objdump', ['-h', path]).matchAll(/^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+).*\n\s+(.*)$/gm),
  ].map((m) => ({
    name: m[1]!,
    size: parseInt(m[2]!, 16),
    vma: parseInt(m[3]!, 16),
    fileOffset: parseInt(m[4]!, 16),
    flags: m[5]!,
  }));
}

/** Imported DLLs in order, from `objdump -p` ("DLL Name: KERNEL32.dll"). */
export function objdumpDllNames(path: string): string[] {
  return [...runTool('objdump', ['-p', path]).matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]!);
}
