#!/usr/bin/env node
// Why gsa's per-package pclntab bytes exceed gokiln's (and the .gopclntab section itself): re-counts the
// pc-value tables of a Go >= 1.20-layout (magic 0xfffffff1), 64-bit little-endian ELF binary three ways.
//
//   node bench/size/pctab-check.mjs BINARY [GSA_COMPACT_JSON]
//
//   distinct   each pc-value table once (the linker writes identical tables once and lets functions share
//              them); this is what the pctab region holds, and what gokiln hands out (each table to one
//              function);
//   per-ref    each table counted once for every function that refers to it (with its end marker);
//   gsa-style  per reference, walking (value, pc) pairs from the table's start while pc < the NEXT
//              function's entry, not stopping at the end marker, so for a function followed by alignment
//              padding the walk runs on into the bytes of the following tables; plus 4 bytes per pcdata
//              slot. This is how gsa's pcsp/pcfile/pcln/pcdata-* sizes add up (checked against its JSON).
// With GSA_COMPACT_JSON (gsa -f json [--compact] output for the same binary) it also prints gsa's total
// pcln_size next to the section size.
import { readFileSync } from 'node:fs';

const [file, gsaJson] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/size/pctab-check.mjs BINARY [GSA_JSON]');
  process.exit(2);
}
const b = readFileSync(file);
if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
const shoff = Number(b.readBigUInt64LE(0x28));
const shentsize = b.readUInt16LE(0x3a),
  shnum = b.readUInt16LE(0x3c),
  shstrndx = b.readUInt16LE(0x3e);
const sh = (i) => {
  const o = shoff + i * shentsize;
  return { name: b.readUInt32LE(o), off: Number(b.readBigUInt64LE(o + 24)), size: Number(b.readBigUInt64LE(o + 32)) };
};
const strtab = sh(shstrndx);
const nameAt = (n) => b.toString('latin1', strtab.off + n, b.indexOf(0, strtab.off + n));
let pcl = null;
for (let i = 0; i < shnum; i++) if (nameAt(sh(i).name) === '.gopclntab') pcl = sh(i);
if (!pcl) throw new Error('no .gopclntab section');
const t = b.subarray(pcl.off, pcl.off + pcl.size);
if (t.readUInt32LE(0) !== 0xfffffff1) throw new Error('pclntab magic is not 0xfffffff1 (Go 1.20+ layout)');
const q = (i) => Number(t.readBigUInt64LE(8 + 8 * i));
const nfunc = q(0),
  pctab = q(6),
  pcln = q(7);
const quantum = t[6];

function uvarint(p) {
  let r = 0,
    s = 0;
  for (;;) {
    const x = t[p++];
    r += (x & 0x7f) * 2 ** s;
    s += 7;
    if (x < 0x80) return [r, p];
  }
}
/** Bytes of one table without its end marker, and with it. */
function tableLength(off) {
  let p = pctab + off;
  const start = p;
  for (let first = true; ; first = false) {
    const [uv, p2] = uvarint(p);
    if (uv === 0 && !first) return [p - start, p2 - start];
    p = uvarint(p2)[1];
  }
}
function gsaWalk(off, entry, end) {
  let p = pctab + off,
    pc = entry,
    n = 0;
  while (p < pcln && pc < end) {
    const p2 = uvarint(p)[1];
    const [pcd, p3] = uvarint(p2);
    n += p3 - p;
    p = p3;
    pc += pcd * quantum;
  }
  return n;
}

let refs = 0,
  perRef = 0,
  gsaStyle = 0,
  slots = 0,
  records = 0;
const distinct = new Map();
for (let i = 0; i < nfunc; i++) {
  const entry = t.readUInt32LE(pcln + 8 * i),
    foff = t.readUInt32LE(pcln + 8 * i + 4);
  const next = t.readUInt32LE(pcln + 8 * (i + 1));
  const f = pcln + foff;
  const npcdata = t.readUInt32LE(f + 28);
  slots += npcdata;
  const nfuncdata = t[f + 43];
  records += 44 + 4 * npcdata + 4 * nfuncdata; // the _func record (Go 1.20+: 11 fields) and its offset arrays
  const offs = [t.readUInt32LE(f + 16), t.readUInt32LE(f + 20), t.readUInt32LE(f + 24)];
  for (let k = 0; k < npcdata; k++) offs.push(t.readUInt32LE(f + 44 + 4 * k));
  for (const o of offs) {
    if (!o) continue;
    const withEnd = tableLength(o)[1];
    refs++;
    perRef += withEnd;
    distinct.set(o, withEnd);
    gsaStyle += gsaWalk(o, entry, next);
  }
}
const distinctBytes = [...distinct.values()].reduce((a, c) => a + c, 0);
console.log(`${file}: .gopclntab ${pcl.size} bytes, ${nfunc} functions, pctab region ${pcln - pctab} bytes`);
console.log(`  pc-value table references ${refs}, distinct tables ${distinct.size}`);
console.log(`  distinct tables (with end markers)                 ${distinctBytes}`);
console.log(`  per reference (with end markers)                   ${perRef}  (+${perRef - distinctBytes} from sharing)`);
console.log(`  gsa-style (walk to next entry) + 4 per pcdata slot ${gsaStyle + 4 * slots}  (walk ${gsaStyle}, slots ${4 * slots})`);
console.log(`  _func records with their pcdata/funcdata offsets   ${records}  (44 bytes + 4 per pcdata and funcdata slot)`);
if (gsaJson) {
  const j = JSON.parse(readFileSync(gsaJson, 'utf8'));
  const parts = {};
  let total = 0;
  const walk = (pk) => {
    for (const p of Object.values(pk ?? {})) {
      for (const fl of p.files ?? []) {
        if (typeof fl.pcln_size === 'number') total += fl.pcln_size;
        for (const fn of fl.functions ?? []) {
          for (const [k, v] of Object.entries(fn.pcln_size)) {
            if (k === 'pcdata') for (const [kk, vv] of Object.entries(v)) parts[kk] = (parts[kk] ?? 0) + vv;
            else parts[k] = (parts[k] ?? 0) + v;
          }
        }
      }
      walk(p.subPackages);
    }
  };
  walk(j.packages);
  if (Object.keys(parts).length) {
    total = Object.values(parts).reduce((a, c) => a + c, 0);
    const tables = Object.entries(parts)
      .filter(([k]) => k.startsWith('pc'))
      .reduce((a, [, v]) => a + v, 0);
    console.log(`  gsa JSON: pcln_size parts ${JSON.stringify(parts)}`);
    console.log(
      `  gsa JSON: pc-value tables (pcsp+pcfile+pcln+pcdata-*) ${tables}; header + funcdata ${(parts.header ?? 0) + (parts.funcdata ?? 0)}; names ${parts.name ?? 0}`,
    );
  }
  console.log(`  gsa JSON: total pcln_size ${total} vs .gopclntab ${pcl.size} (${((total / pcl.size - 1) * 100).toFixed(1)}%)`);
}
