/**
 * Issue #20 (plan.ts's `-l` handling): a cgo package that names its libraries with `#cgo LDFLAGS: -lNAME`
 * instead of pkg-config. The plan's answer — which system library, whether C++'s runtime is linked — is
 * checked against the real build: the same package built with cgo, and the DT_NEEDED entries readelf
 * reads from the binary (what the loader must find in the runtime image).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildPlan } from '../../src/project/plan.js';
import { C_LIBRARIES } from '../../src/knowledge/cgo-libraries.js';
import { distrolessImage } from '../../src/knowledge/distroless.js';
import { scanProject } from '../../src/project/scan.js';
import { scratchDir } from '../harness/scratch.js';
import { haveTool, runTool } from '../truth/tools.js';
import { readelfNeeded, readelfText } from '../truth/readelf.js';
import { TODAY } from './helpers.js';

// glibc's own libraries: the plan leaves them out (every glibc runtime has them)
const LIBC_SONAMES = /^(libc|libm|libdl|libpthread|librt|libresolv|libutil)\.so\.\d+$|^ld-linux/;

const PROGRAMS = {
  // zlib through -lz: a system library the runtime must install
  zlib: `package main

/*
#cgo LDFLAGS: -lz
#include <zlib.h>
*/
import "C"

import "fmt"

func main() { fmt.Println(C.GoString(C.zlibVersion())) }
`,
  // C++'s runtime through -lstdc++ from C code only (no .cpp file, so go list's CXXFiles is empty):
  // __cxa_demangle is libstdc++'s C-linkage demangler
  stdcxx: `package main

/*
#cgo LDFLAGS: -lstdc++
#include <stdlib.h>
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);
static char *demangle(const char *s) { int st; return __cxa_demangle(s, 0, 0, &st); }
*/
import "C"

import "fmt"

func main() { fmt.Println(C.GoString(C.demangle(C.CString("_Z3fooi")))) }
`,
  // libbz2 through -lbz2: a library the table has no row for, so its packages are the user's to add
  bzip2: `package main

/*
#cgo LDFLAGS: -lbz2
#include <bzlib.h>
*/
import "C"

import "fmt"

func main() { fmt.Println(C.GoString(C.BZ2_bzlibVersion())) }
`,
} as const;

for (const [name, source] of Object.entries(PROGRAMS)) {
  test(`#cgo LDFLAGS -l (${name}): the plan's libraries and C++ flag are what the built binary needs (readelf -d)`, (t) => {
    if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'gcc') || !haveTool(t, 'readelf') || !haveTool(t, 'dpkg')) return;
    const dir = scratchDir(`gk-plan-ldflags-${name}-`);
    writeFileSync(join(dir, 'go.mod'), `module example.com/${name}\n\ngo 1.26\n`);
    writeFileSync(join(dir, 'main.go'), source);
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '', CGO_ENABLED: '1' };

    const plan = buildPlan(scanProject(dir, { env }), { today: TODAY });
    const bin = join(dir, name);
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: dir, env });
    // the program runs on this host: the libraries it names are real and linked
    const out = execFileSync(bin, [], { encoding: 'utf8' });
    assert.match(out, name === 'stdcxx' ? /^foo\(int\)\n$/ : /^\d+\.\d+/);

    const needed = readelfNeeded(readelfText(bin, ['-d', '-W']));
    const beyondLibc = needed.filter((n) => !LIBC_SONAMES.test(n)).sort();
    assert.ok(beyondLibc.length > 0, `a library beyond glibc is linked: ${needed.join(' ')}`);
    assert.equal(plan.cgo.required, true);
    // C++'s runtime is linked iff the plan says cxx (it picks distroless/cc, which has libstdc++)
    const cxx = beyondLibc.includes('libstdc++.so.6');
    assert.equal(plan.cgo.cxx, cxx);
    assert.equal(plan.cgo.libcOnly, false);
    // every other library the binary needs is a planned library (named by its -l flag) with its soname, or,
    // when no table row has that soname, an unknown library the warning asks the user to add by hand
    const known = new Set(C_LIBRARIES.flatMap((l) => l.sonames));
    const others = beyondLibc.filter((n) => n !== 'libstdc++.so.6');
    assert.deepEqual(
      plan.libraries.flatMap((l) => l.sonames).sort(),
      others.filter((n) => known.has(n)),
    );
    const unknown = others.filter((n) => !known.has(n));
    assert.deepEqual(plan.unknownLibraries, unknown.length ? ['-lbz2'] : []);
    assert.equal(
      plan.warnings.some((w) => w.code === 'unknown-library' && w.message.includes('-lbz2')),
      unknown.length > 0,
    );
    if (unknown.length) assert.equal(plan.recommended.paradigm, 'ubuntu');
    else {
      // every library it needs is in the distroless image: the Debian package that owns each soname on this
      // host (dpkg -S) is in the image's package list, so distroless is the recommendation
      assert.equal(plan.recommended.paradigm, 'distroless');
      const image = distrolessImage(cxx ? 'cc' : 'base', plan.images.distroless.debian)!;
      for (const so of beyondLibc) {
        const owners = runTool('dpkg', ['-S', so])
          .split('\n')
          .filter((l) => l.endsWith(`/x86_64-linux-gnu/${so}`))
          .map((l) => l.split(':')[0]!);
        assert.ok(
          owners.length > 0 && owners.every((o) => image.packages.includes(o)),
          `${so}: ${owners.join(' ')} in ${image.packages.join(' ')}`,
        );
      }
    }
    for (const l of plan.libraries) {
      assert.deepEqual(l.via, ['ldflags']);
      assert.ok(l.refs.every((r) => /^-l/.test(r)));
    }
    if (cxx) assert.equal(plan.runtimes.distroless, 'gcr.io/distroless/cc-debian13:nonroot');
    else assert.notEqual(plan.runtimes.distroless, 'gcr.io/distroless/cc-debian13:nonroot');
  });
}
