/**
 * The cpu-level warning against a real run: the GOAMD64=v3 fixture under QEMU's user-mode emulator with a
 * CPU model below v3 (qemu64, x86-64-v1) prints exactly the message gokiln predicts and exits 1; with a v3
 * model (Haswell) the same binary runs, so the CPU level is the only cause.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { inspectFile } from '../../src/analysis/inspect.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import type { InspectOk } from '../../src/analysis/types.js';
import { fixture } from '../fixtures/index.js';
import { goVersionM } from '../truth/go-version-m.js';
import { haveOnPath } from '../truth/tools.js';

const TODAY = new Date('2026-11-26T00:00:00Z');

function inspected(name: 'amd64-v3' | 'static'): InspectOk {
  const r = inspectFile(fixture(name), { today: TODAY });
  if ('error' in r) throw new Error(r.error.message);
  return r;
}

/** The program's own output under qemu-x86_64 with a CPU model, QEMU's feature warnings left out. */
function underQemu(cpu: string, path: string): { status: number | null; out: string } {
  const r = spawnSync('qemu-x86_64', ['-cpu', cpu, path, 'ok'], { encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l && !l.startsWith('qemu-x86_64:'))
    .join('\n');
  return { status: r.status, out };
}

describe('cpu-level warning', () => {
  test('GOAMD64=v3: every runtime warns with the message the runtime prints on a v1 CPU', (t) => {
    if (!haveOnPath(t, 'qemu-x86_64')) return;
    const path = fixture('amd64-v3');
    assert.equal(goVersionM(path)?.settings['GOAMD64'], 'v3', 'go version -m: the fixture is a v3 build');
    const r = inspected('amd64-v3');
    const below = underQemu('qemu64', path);
    assert.equal(below.status, 1, below.out);
    assert.equal(below.out, 'This program can only be run on AMD64 processors with v3 microarchitecture support.');
    const at = underQemu('Haswell', path);
    assert.deepEqual([at.status, at.out], [0, 'ok']);
    assert.ok(r.runtimes.length > 10);
    for (const v of r.runtimes) {
      const w = v.warnings.find((x) => x.code === 'cpu-level');
      assert.ok(w, `${v.name}: cpu-level warning`);
      assert.ok(w.message.includes(below.out), `${v.name}: ${w.message}`);
    }
    // and lint says the same of the Dockerfile that builds it (GK025)
    const findings = lintDockerfile('FROM golang:1.26\nRUN GOAMD64=v3 CGO_ENABLED=0 go build -o /app .\n', { file: 'Dockerfile' });
    const gk025 = findings.filter((f) => f.rule === 'GK025');
    assert.equal(gk025.length, 1);
    assert.ok(gk025[0]!.message.includes(below.out), gk025[0]!.message);
  });

  test('a v1 build (the default) has no such warning', () => {
    const r = inspected('static');
    assert.ok(r.runtimes.every((v) => !v.warnings.some((w) => w.code === 'cpu-level')));
  });
});
