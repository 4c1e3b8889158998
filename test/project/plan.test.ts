import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan, newestKnownGo, type Plan } from '../../src/project/plan.js';
import { GokilnError } from '../../src/errors.js';
import { GOLANG_IMAGE_HISTORY, newestGolangMinor } from '../../src/knowledge/golang-images.js';
import { C_LIBRARIES, CGO_MODULES } from '../../src/knowledge/cgo-libraries.js';
import { EXAMPLES, TODAY, exampleDir, goListCgo, goListDeps, goListMains, matchSnapshot, needTool, run } from './helpers.js';
import { IN_CI } from '../truth/tools.js';
import { scratchDir } from '../harness/scratch.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validatePlan = ajv.compile(JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object);

/** Plans of the examples, read from a relative dir so snapshots carry no machine paths. */
function planOf(ex: string): Plan {
  const plan = buildPlan(scanProject(`examples/${ex}`, { env: { ...process.env, GOTOOLCHAIN: 'local' } }), { today: TODAY });
  return plan;
}
function stable(plan: Plan): string {
  // the local Go patch release appears in go's refusal message for needs-newer-go
  return JSON.stringify(plan, null, 2).replace(/running go \d+\.\d+(\.\d+)?/g, 'running go X') + '\n';
}

describe('plan snapshots and decisions', () => {
  const haveGo = Boolean(needTool('go'));
  for (const ex of EXAMPLES) {
    // the snapshot is our own earlier output: it catches a change, never proves a value right (the go list test below does)
    test(`${ex}: plan matches the schema, and the snapshot as a regression check`, { skip: haveGo ? false : 'go not installed' }, () => {
      const plan = planOf(ex);
      assert.ok(validatePlan(plan), JSON.stringify(validatePlan.errors));
      matchSnapshot('project', `plan-${ex}.json`, stable(plan));
    });
  }
  // needs-newer-go: the local Go refuses its go line (GOTOOLCHAIN=local), so go list has no answer to compare with
  for (const ex of EXAMPLES.filter((e) => e !== 'needs-newer-go')) {
    test(
      `${ex}: the plan's binaries, cgo, system libraries and runtime needs agree with go list -deps`,
      { skip: haveGo ? false : 'go not installed' },
      () => {
        const plan = planOf(ex);
        const dir = exampleDir(ex);
        const pkgs = goListDeps(dir);
        // main packages, the directory `go build` is given, and the binary name `go build -o /out/` writes (go install's)
        const mains = pkgs.filter((p) => p.name === 'main' && !p.standard);
        assert.deepEqual(mains.map((p) => p.importPath).sort(), goListMains(dir));
        assert.deepEqual(
          plan.binaries.map((b) => [b.importPath, b.dir, b.binary]).sort(),
          mains.map((p) => [p.importPath, p.dir === dir ? '.' : `./${relative(dir, p.dir)}`, basename(p.target)]).sort(),
        );
        // cgo: the non-standard packages with cgo files, and whether there is any
        const cgo = goListCgo(dir);
        assert.deepEqual(
          pkgs
            .filter((p) => !p.standard && p.cgoFiles.length)
            .map((p) => p.importPath)
            .sort(),
          cgo,
        );
        assert.deepEqual([...plan.cgo.own.map((o) => o.pkg), ...plan.cgo.deps.map((d) => d.pkg)].sort(), cgo);
        assert.equal(plan.cgo.required, cgo.length > 0);
        // system libraries: the #cgo pkg-config names and -l flags go list reports, less libc's own libraries
        const libc = new Set(['c', 'm', 'dl', 'pthread', 'rt', 'resolv', 'util']);
        const truthLibs = new Set<string>();
        for (const p of pkgs.filter((x) => !x.standard)) {
          for (const pc of p.cgoPkgConfig) truthLibs.add(pc);
          for (const f of p.cgoLdflags) {
            const l = /^-l(.+)$/.exec(f)?.[1];
            if (l && !libc.has(l)) truthLibs.add(`-l${l}`);
          }
        }
        // a library known from a cgo module's table row has the module path as its ref: go list has no flag for it
        const planned = [...plan.libraries.flatMap((l) => l.refs.filter((r) => !r.includes('/'))), ...plan.unknownLibraries];
        assert.deepEqual([...new Set(planned)].sort(), [...truthLibs].sort());
        assert.equal(plan.cgo.libcOnly, cgo.length > 0 && truthLibs.size === 0 && !plan.cgo.cxx);
        // runtime needs follow the standard packages linked in
        const std = new Set(pkgs.filter((p) => p.standard).map((p) => p.importPath));
        assert.equal(plan.needs.caCerts, std.has('crypto/tls'), 'CA certificates iff crypto/tls is linked');
        assert.equal(plan.needs.tzdataEmbedded, std.has('time/tzdata'));
        if (plan.needs.tzdata) assert.ok(std.has('time') && !std.has('time/tzdata'), 'zoneinfo needed: time linked, time/tzdata not');
        assert.equal(plan.needs.osUser, std.has('os/user'));
        assert.equal(plan.needs.dns, std.has('net'));
        assert.equal(
          plan.needs.embed,
          pkgs.some((p) => !p.standard && p.embedPatterns.length > 0),
          '//go:embed patterns',
        );
      },
    );
  }
  test('decisions follow the projects', { skip: haveGo ? false : 'go not installed' }, () => {
    const hello = planOf('hello-service');
    assert.equal(hello.recommended.paradigm, 'distroless');
    assert.equal(hello.runtimes.distroless, 'gcr.io/distroless/static-debian13:nonroot');
    assert.equal(hello.needs.caCerts, true);
    assert.equal(hello.needs.tzdata, true);
    assert.equal(hello.cgo.required, false);

    const multi = planOf('multi-cmd');
    assert.deepEqual(
      multi.binaries.map((b) => b.binary),
      ['api', 'worker'],
    );
    assert.equal(multi.needs.osUser, true);
    // go 1.25 is out of support on TODAY (1.27 released 2026-08-19): the builder is raised to 1.26
    assert.equal(multi.go.raisedFrom, '1.25');
    assert.equal(multi.go.builderMinor, '1.26');
    // the warning names the day support ended (1.27's release), not the plan's day
    const oos = multi.warnings.find((w: { code: string }) => w.code === 'go-out-of-support') as { message: string } | undefined;
    assert.match(oos?.message ?? '', /^Go 1\.25 \(go\.mod's go line\) has been out of support since 2026-08-19;/);
    assert.doesNotMatch(oos?.message ?? '', /2026-11-26/);

    const sqlite = planOf('sqlite-cgo');
    assert.equal(sqlite.cgo.required, true);
    assert.equal(sqlite.cgo.libcOnly, true);
    assert.equal(sqlite.recommended.paradigm, 'distroless');
    assert.equal(sqlite.runtimes.distroless, 'gcr.io/distroless/base-debian13:nonroot');

    const png = planOf('png-cgo');
    assert.equal(png.recommended.paradigm, 'ubuntu');
    assert.deepEqual(
      png.libraries.map((l) => [l.name, l.debian.build, l.debian.runtime, l.alpine.build, l.alpine.runtime]),
      [['libpng', ['libpng-dev'], ['libpng16-16t64'], ['libpng-dev'], ['libpng']]],
    );
    assert.equal(png.alternatives.find((a) => a.paradigm === 'distroless')?.viable, false);

    const vend = planOf('vendored');
    assert.deepEqual([vend.vendor.present, vend.vendor.consistent], [true, true]);

    const newer = planOf('needs-newer-go');
    assert.equal(newer.scan.method, 'source-scan');
    assert.equal(newer.go.builderMinor, '1.27');
    assert.ok(newer.warnings.some((w) => w.code === 'source-scan'));
  });
  test('without go on PATH the sqlite example still plans cgo from the import path', () => {
    const plan = buildPlan(scanProject('examples/sqlite-cgo', { go: null }), { today: TODAY });
    assert.equal(plan.cgo.required, true);
    assert.deepEqual(
      plan.cgo.deps.map((d) => d.module),
      ['github.com/mattn/go-sqlite3'],
    );
  });
});

describe('cgo library table', () => {
  test('every row has a source and a date', () => {
    for (const r of [...C_LIBRARIES, ...CGO_MODULES]) {
      assert.ok(r.source.length > 10, JSON.stringify(r));
      assert.match(r.date, /^\d{4}-\d{2}-\d{2}$/);
    }
  });
  test(
    'Debian build/runtime names: the -dev package depends on the runtime package (apt-cache on this bookworm host)',
    { skip: needTool('apt-cache') ? false : 'apt-cache not installed' },
    () => {
      // direct Depends, and one more level for transitional -dev names (libpcap-dev → libpcap0.8-dev → libpcap0.8)
      const depends = (pkg: string): string[] => {
        const r = run('apt-cache', ['depends', pkg]);
        assert.equal(r.status, 0, `${pkg} unknown to apt: ${r.stderr}`);
        return [...r.stdout.matchAll(/^\s+Depends: (\S+)$/gm)].map((m) => m[1]!);
      };
      for (const lib of C_LIBRARIES.filter((l) => l.debian.build.length)) {
        const first = depends(lib.debian.build[0]!);
        const all = new Set([...first, ...first.filter((d) => d.endsWith('-dev')).flatMap(depends)]);
        for (const rt of lib.debian.runtime.bookworm) assert.ok(all.has(rt), `${lib.debian.build[0]} → ${rt}: ${[...all].join(' ')}`);
      }
    },
  );
  test(
    'pkg-config names of the installed -dev packages are the ones in the table (zlib, libpng)',
    { skip: needTool('dpkg') ? false : 'dpkg not installed' },
    (t) => {
      const notInstalled: string[] = [];
      for (const [pkg, lib] of [
        ['zlib1g-dev', 'zlib'],
        ['libpng-dev', 'libpng'],
      ] as const) {
        const r = run('dpkg', ['-L', pkg]);
        if (r.status !== 0) {
          // .ci/run installs both: in CI a missing one is a failure, never a check quietly left out
          assert.ok(!IN_CI, `${pkg} is not installed (dpkg -L: ${r.stderr.trim()}); .ci/run installs it`);
          notInstalled.push(pkg);
          continue;
        }
        const pcs = [...r.stdout.matchAll(/\/pkgconfig\/([^/\n]+)\.pc$/gm)].map((m) => m[1]!);
        const row = C_LIBRARIES.find((l) => l.name === lib)!;
        assert.ok(pcs.length > 0);
        for (const pc of pcs) assert.ok(row.pkgConfig.includes(pc), `${pc} in ${row.pkgConfig}`);
      }
      if (notInstalled.length) t.skip(`not installed, so not checked: ${notInstalled.join(', ')}`);
    },
  );
});

test(
  'C++ sources in a cgo package make the plan pick distroless/cc (libstdc++), as go list reports CXXFiles',
  { skip: needTool('go') ? false : 'go not installed' },
  () => {
    const dir = scratchDir('gokiln-cxx-');
    writeFileSync(join(dir, 'go.mod'), 'module example.com/cxx\n\ngo 1.26\n');
    writeFileSync(join(dir, 'main.go'), 'package main\n\n// int twice(int);\nimport "C"\n\nfunc main() { println(C.twice(2)) }\n');
    writeFileSync(join(dir, 'twice.cpp'), 'extern "C" int twice(int x) { return 2 * x; }\n');
    const truth = run('go', ['list', '-f', '{{.CXXFiles}}', '.'], { cwd: dir, env: { ...process.env, CGO_ENABLED: '1' } });
    assert.equal(truth.stdout.trim(), '[twice.cpp]');
    const plan = buildPlan(scanProject(dir), { today: TODAY });
    assert.equal(plan.cgo.cxx, true);
    assert.equal(plan.runtimes.distroless, 'gcr.io/distroless/cc-debian13:nonroot');
  },
);

describe('projects no image can be built for', () => {
  const mod = (text: string, files: Record<string, string> = {}) => {
    const dir = scratchDir('gokiln-unbuildable-');
    writeFileSync(join(dir, 'go.mod'), text);
    for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
    return dir;
  };
  const refused = (fn: () => unknown, message: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof GokilnError && e.code === 'E_UNSUPPORTED' && message.test(e.message));

  test('no main package: buildPlan refuses; lenient (doctor) reports the no-main warning instead', () => {
    const dir = mod('module example.com/lib\n\ngo 1.26\n', { 'lib.go': 'package lib\n' });
    const scan = scanProject(dir, { go: null });
    assert.deepEqual(scan.mainPackages, []);
    refused(() => buildPlan(scan, { today: TODAY }), /^no main package in .* \(module example\.com\/lib\): nothing to build into an image/);
    const plan = buildPlan(scan, { today: TODAY, lenient: true });
    assert.ok(validatePlan(plan), JSON.stringify(validatePlan.errors));
    assert.ok(plan.warnings.some((w) => w.code === 'no-main'));
  });

  test('go line beyond the newest known Go release: refused naming it; lenient keeps the go-beyond-images warning', () => {
    const newest = newestKnownGo();
    assert.equal(newest.minor, newestGolangMinor());
    assert.equal(newest.patch, GOLANG_IMAGE_HISTORY[newest.minor]!.lastPatch);
    const next = `1.${Number(newest.minor.split('.')[1]) + 1}`;
    const dir = mod(`module example.com/f\n\ngo ${next}\n`, { 'main.go': 'package main\n\nfunc main() {}\n' });
    const scan = scanProject(dir, { go: null });
    refused(
      () => buildPlan(scan, { today: TODAY }),
      new RegExp(
        `go\\.mod: go ${next.replace('.', '\\.')} is newer than the newest Go release gokiln knows \\(${newest.patch.replaceAll('.', '\\.')}\\)`,
      ),
    );
    const plan = buildPlan(scan, { today: TODAY, lenient: true });
    assert.equal(plan.go.beyondKnownImages, true);
    assert.ok(plan.warnings.some((w) => w.code === 'go-beyond-images'));
    // the newest known minor and a newer patch of it are fine
    for (const v of [newest.minor, `${newest.minor}.99`]) {
      const p = buildPlan(
        scanProject(mod(`module example.com/f\n\ngo ${v}\n`, { 'main.go': 'package main\n\nfunc main() {}\n' }), { go: null }),
        { today: TODAY },
      );
      assert.equal(p.go.builderMinor, newest.minor);
      assert.equal(p.go.beyondKnownImages, false);
    }
  });

  test('only the toolchain line beyond the known releases: the builder is the newest known Go, with a warning', () => {
    const newest = newestKnownGo();
    const dir = mod('module example.com/t\n\ngo 1.26\n\ntoolchain go1.99.1\n', { 'main.go': 'package main\n\nfunc main() {}\n' });
    const plan = buildPlan(scanProject(dir, { go: null }), { today: TODAY });
    assert.equal(plan.go.builderMinor, newest.minor);
    assert.equal(plan.go.beyondKnownImages, false);
    for (const b of [plan.images.alpine.builder, plan.images.debian.builder, plan.images.distroless.builder])
      assert.match(b, new RegExp(`^golang:${newest.minor.replace('.', '\\.')}-`));
    const w = plan.warnings.find((x) => x.code === 'toolchain-beyond-images');
    assert.ok(w);
    assert.match(
      w.message,
      new RegExp(`go1\\.99\\.1 is newer than the newest Go release gokiln knows \\(${newest.patch.replaceAll('.', '\\.')}\\)`),
    );
  });
});

test('the day support windows are judged on must be a real YYYY-MM-DD day: anything else is E_USAGE, not a plan judged on it', () => {
  const dir = scratchDir('gokiln-today-');
  writeFileSync(join(dir, 'go.mod'), 'module example.com/d\n\ngo 1.26\n');
  writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  const scan = scanProject(dir, { go: null });
  for (const today of ['', '2026-11-31', '2023-02-29', '26-11-2026', 'today'])
    assert.throws(
      () => buildPlan(scan, { today }),
      (e: unknown) => e instanceof GokilnError && e.code === 'E_USAGE' && e.message.includes(JSON.stringify(today)),
      today,
    );
  // a leap day is a day; the plan is judged on it
  assert.equal(buildPlan(scan, { today: '2024-02-29' }).today, '2024-02-29');
  assert.match(buildPlan(scan).today, /^\d{4}-\d{2}-\d{2}$/);
});
