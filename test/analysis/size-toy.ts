/**
 * A small hand-built image for the attribution tests, where the right answer is known byte by byte: its
 * sections, a pclntab with four functions, their own code lengths and build info.
 */
import { attributeSize } from '../../src/analysis/size/attribute.js';
import { definedIn, type BinaryImage, type Section, type SymbolEntry } from '../../src/formats/binary.js';
import type { GoBuildInfo, GoPclntab } from '../../src/formats/go/types.js';
import { BufferSource } from '../../src/formats/source.js';

export function sec(name: string, addr: number, offset: number, fileSize: number, flags: Partial<Section> = {}): Section {
  return { name, segment: '', addr, size: flags.size ?? fileSize, offset, fileSize, alloc: true, exec: false, write: false, ...flags };
}

/** A toy package namer: everything before the first dot after the last slash. */
export const pkgOf = (n: string) => {
  const i = n.lastIndexOf('/');
  const j = n.indexOf('.', i + 1);
  return j < 0 ? n : n.slice(0, j);
};

export function image(sections: Section[], fileSize: number, symbols: SymbolEntry[] | null): BinaryImage {
  return {
    format: 'elf',
    os: 'linux',
    arch: 'amd64',
    bits: 64,
    endian: 'little',
    fileSize,
    sections,
    segments: [],
    entry: 0,
    source: new BufferSource(new Uint8Array(fileSize)),
    symbols: () => symbols,
    definedSymbols: (names: readonly string[]) => definedIn(symbols, names),
    hasSymbols: symbols !== null,
    hasDwarf: false,
  };
}

// file layout: 0..0x100 headers, .text 0x100..0x400 at 0x1000, .rodata 0x400..0x600 at 0x2000,
// .gopclntab 0x600..0x800 at 0x3000, .bss (no file bytes), .symtab 0x800..0x900 (not loaded), 0x900..0x910 trailer
export const sections = [
  sec('.text', 0x1000, 0x100, 0x300, { exec: true }),
  sec('.rodata', 0x2000, 0x400, 0x200),
  sec('.gopclntab', 0x3000, 0x600, 0x200),
  sec('.bss', 0x4000, 0, 0, { size: 0x500, write: true }),
  sec('.symtab', 0, 0x800, 0x100, { alloc: false }),
];
export const FILE = 0x910;
export const pcln: GoPclntab = {
  version: '1.20',
  magic: 0xfffffff1,
  ptrSize: 8,
  section: '.gopclntab',
  addr: 0x3000,
  size: 0x200,
  textStart: 0x1000,
  files: [],
  funcs: [
    { name: 'main.main', entry: 0x1010, end: 0x1100, tableBytes: 0x40 },
    { name: 'main.helper', entry: 0x1100, end: 0x1180, tableBytes: 0x20 },
    { name: 'github.com/a/b/c.F', entry: 0x1180, end: 0x1280, tableBytes: 0x30 },
    { name: 'runtime.main', entry: 0x1280, end: 0x1300, tableBytes: 0x10 },
  ],
};
// own lengths: the rest up to the next entry is padding
export const funcSizes = [0xe0, 0x80, 0xf0, 0x80];
export const bi: GoBuildInfo = {
  goVersion: 'go1.26.0',
  path: 'example.com/app',
  main: { path: 'example.com/app', version: '(devel)', sum: null, replace: null },
  deps: [
    { path: 'github.com/a/b', version: 'v1.0.0', sum: null, replace: null },
    { path: 'github.com/a/b/c', version: 'v2.0.0', sum: null, replace: null },
  ],
  settings: [],
  ptrSize: 8,
  bigEndian: false,
  inlineStrings: true,
};

/** attributeSize of a hand-built image with this file's pclntab, function sizes and build info. */
export const attributeOf = (img: Parameters<typeof attributeSize>[0]['img']) =>
  attributeSize({ file: 't', img, pcln, funcSizes, buildInfo: bi, goVersion: null, packageOf: pkgOf, notes: [] });
