/**
 * The CA and zoneinfo checks are as fine as the linker lets them be, and no finer (docs/knowledge.md, Needs):
 * - `ca-certs` fails on `crypto/x509.systemRootsPool` linked. Parsing certificates alone does not link it;
 *   any use of `Verify` does (its nil-Roots branch), and so does net/http even in a program that only
 *   serves plain HTTP (its client and crypto/tls's client handshake come along; `crypto/tls.Client` is
 *   inlined, so no client-only symbol is left to tell a TLS client from a server).
 * - `zoneinfo` fails on `time.LoadLocation` linked (not `time.loadLocation`, which every program formatting a
 *   time links), even when the call is on a branch this command does not take.
 * Each program is built here; what it links is read with `go tool nm` (the truth for "linked"), inspect's
 * needs must equal it, and `verify --run` on a scratch image shows the conservative cases for what they
 * are: predicted `fails`, yet they run.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectFile } from '../../src/analysis/inspect.js';
import type { InspectOk } from '../../src/analysis/types.js';
import type { VerifyResult } from '../../src/verify/types.js';
import { gokiln } from '../build/helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { failInCiIfMissing, missingTools } from '../truth/tools.js';
import { writeLayout } from './layout.js';
import { buildProbe } from './probes.js';

interface Case {
  probe: string;
  args: string[];
  /** what the linker kept: crypto/x509.systemRootsPool, time.LoadLocation */
  roots: boolean;
  loadLocation: boolean;
  /** on scratch (no CA bundle, no zoneinfo): the static verdict, and what the run did */
  verdict: 'runs' | 'fails';
  stdout: string;
}

const CASES: Case[] = [
  { probe: 'x509parse', args: [], roots: false, loadLocation: false, verdict: 'runs', stdout: 'parsed: true\n' },
  { probe: 'timenow', args: [], roots: false, loadLocation: false, verdict: 'runs', stdout: '' },
  // the conservative cases: the code that reads CA certificates or zoneinfo is linked, this run never reaches it
  { probe: 'verifypool', args: [], roots: true, loadLocation: false, verdict: 'fails', stdout: 'verified\n' },
  { probe: 'httpserver', args: [], roots: true, loadLocation: false, verdict: 'fails', stdout: 'served\n' },
  { probe: 'loadloc', args: [], roots: false, loadLocation: true, verdict: 'fails', stdout: 'no zone asked for\n' },
];

const missing = missingTools(['go', 'bwrap']);
if (missing.length) failInCiIfMissing(missing.join(', '));

describe('the CA and zoneinfo verdicts follow what is linked', { skip: missing.length ? `${missing.join(', ')} needed` : false }, () => {
  const dir = scratchDir('gokiln-verify-signals-');
  for (const c of CASES) {
    test(`${c.probe}: systemRootsPool ${c.roots ? '' : 'not '}linked, time.LoadLocation ${c.loadLocation ? '' : 'not '}linked → ${c.verdict} on scratch; it runs`, async () => {
      const bin = buildProbe(`signals/${c.probe}`, dir);
      const file = join(dir, c.probe);
      writeFileSync(file, bin);
      const linked = new Set(
        execFileSync('go', ['tool', 'nm', file], { encoding: 'utf8', maxBuffer: 64 << 20 })
          .split('\n')
          .map((l) => l.trim().split(/\s+/)[2]),
      );
      assert.equal(linked.has('crypto/x509.systemRootsPool'), c.roots, 'go tool nm: crypto/x509.systemRootsPool');
      assert.equal(linked.has('time.LoadLocation'), c.loadLocation, 'go tool nm: time.LoadLocation');
      const facts = inspectFile(file) as InspectOk;
      assert.equal(facts.needs.caCerts, c.roots, "inspect: needs.caCerts is the linker's answer");
      assert.equal(facts.needs.tzdata, c.loadLocation, "inspect: needs.tzdata is the linker's answer");

      const ref = await writeLayout(join(dir, `img-${c.probe}`), {
        layers: [
          {
            entries: [
              { name: 'tmp', type: 'directory', mode: 0o1777 },
              { name: 'app', type: 'file', content: bin, mode: 0o755 },
            ],
          },
        ],
        entrypoint: ['/app'],
        cmd: c.args,
        user: '65534',
      });
      const v = gokiln(['verify', '--json', ref, '--run']);
      const r = JSON.parse(v.stdout) as VerifyResult;
      assert.equal(r.verdict, c.verdict, v.stdout);
      const failed = r.checks.filter((k) => !k.ok && k.severity === 'error').map((k) => k.id);
      assert.deepEqual(failed, [...(c.roots ? ['ca-certs'] : []), ...(c.loadLocation ? ['zoneinfo'] : [])]);
      assert.equal(r.run?.exitCode, 0, r.run?.stderr);
      if (c.stdout) assert.equal(r.run?.stdout, c.stdout);
      // runs although predicted fails: the run says so, and so does the exit code
      assert.equal(r.run?.predicted, c.verdict === 'runs');
      assert.equal(v.status, c.verdict === 'runs' ? 0 : 1);
      if (c.verdict === 'fails')
        assert.ok(
          r.notes.some((n) => n.startsWith('ca-certs and zoneinfo fail when the binary links the code that reads them')),
          r.notes.join('\n'),
        );
    });
  }
});
