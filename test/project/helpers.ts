/** Shared by the plan/doctor/init tests: snapshots, tool checks, temp copies of example projects. */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { failInCiIfMissing, which } from '../truth/tools.js';
import { scratchDir } from '../harness/scratch.js';

export const EXAMPLES = ['hello-service', 'multi-cmd', 'sqlite-cgo', 'png-cgo', 'vendored', 'needs-newer-go'] as const;
export type Example = (typeof EXAMPLES)[number];
export const exampleDir = (name: string) => resolve('examples', name);

/** The day plans are judged on in tests, so support windows do not move the snapshots. */
export const TODAY = '2026-11-26';

/**
 * Compares text with test/<area>/__snapshots__/<name>. A missing snapshot is written (and the test
 * fails in CI, where it must exist); UPDATE_SNAPSHOTS=1 rewrites them.
 */
export function matchSnapshot(area: string, name: string, actual: string): void {
  const p = resolve('test', area, '__snapshots__', name);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(p)) {
    assert.notEqual(process.env.CI, 'true', `snapshot ${p} is missing in CI`);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, actual);
    return;
  }
  assert.equal(actual, readFileSync(p, 'utf8'), `snapshot ${p} differs (UPDATE_SNAPSHOTS=1 to accept)`);
}

/** A tool the test needs: missing in CI is a failure, elsewhere a skip reason. */
export function needTool(name: string): string | null {
  const path = which(name);
  if (path) return path;
  failInCiIfMissing(name);
  return null;
}

export function copyExample(name: string): string {
  const dst = scratchDir(`gokiln-${name}-`);
  cpSync(exampleDir(name), dst, { recursive: true });
  return dst;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The environment the go-list truth runs in: cgo on, as a cgo builder would have it, and the local Go only. */
const GO_LIST_ENV = (): NodeJS.ProcessEnv => ({ ...process.env, CGO_ENABLED: '1', GOTOOLCHAIN: 'local' });

/** The go command's list of main packages: `go list -f` over ./... */
export function goListMains(dir: string): string[] {
  const r = run('go', ['list', '-f', '{{if eq .Name "main"}}{{.ImportPath}}{{end}}', './...'], { cwd: dir, env: GO_LIST_ENV() });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

/** Non-standard packages in the build graph with cgo files, as the go command lists them. */
export function goListCgo(dir: string): string[] {
  const r = run('go', ['list', '-deps', '-f', '{{if and .CgoFiles (not .Standard)}}{{.ImportPath}}{{end}}', './...'], {
    cwd: dir,
    env: GO_LIST_ENV(),
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

export interface GoListPackage {
  importPath: string;
  name: string;
  dir: string;
  /** where `go install` would put a main package's binary: its base name is the one `go build -o dir/` writes */
  target: string;
  standard: boolean;
  cgoFiles: string[];
  cgoPkgConfig: string[];
  cgoLdflags: string[];
  embedPatterns: string[];
}

/** Every package of the build graph of ./... (`go list -deps -json`), each with the fields the plan is judged by. */
export function goListDeps(dir: string): GoListPackage[] {
  const r = run(
    'go',
    ['list', '-deps', '-json=ImportPath,Name,Dir,Target,Standard,CgoFiles,CgoPkgConfig,CgoLDFLAGS,EmbedPatterns', './...'],
    { cwd: dir, env: GO_LIST_ENV() },
  );
  assert.equal(r.status, 0, r.stderr);
  // -json prints one object after another, each closing with a "}" line of its own: made a JSON array
  const all = JSON.parse(`[${r.stdout.replace(/\n\}\n\{/g, '\n},\n{')}]`) as Array<{
    ImportPath: string;
    Name: string;
    Dir: string;
    Target?: string;
    Standard?: boolean;
    CgoFiles?: string[];
    CgoPkgConfig?: string[];
    CgoLDFLAGS?: string[];
    EmbedPatterns?: string[];
  }>;
  return all.map((j) => {
    return {
      importPath: j.ImportPath,
      name: j.Name,
      dir: j.Dir,
      target: j.Target ?? '',
      standard: Boolean(j.Standard),
      cgoFiles: j.CgoFiles ?? [],
      cgoPkgConfig: j.CgoPkgConfig ?? [],
      cgoLdflags: j.CgoLDFLAGS ?? [],
      embedPatterns: j.EmbedPatterns ?? [],
    };
  });
}

/**
 * A module whose go.mod replaces example.com/lib with a local directory: `inside` the project (./lib),
 * `outside` it (../lib, a sibling of the project directory), or a replace of a module nothing requires
 * (`unused`, pointing at a directory that does not exist). main prints `hello from lib`.
 */
export function replaceProject(where: 'inside' | 'outside' | 'unused'): { root: string; dir: string; lib: string } {
  const root = scratchDir(`gokiln-replace-${where}-`);
  const dir = join(root, 'app');
  const lib = where === 'inside' ? join(dir, 'lib') : join(root, 'lib');
  mkdirSync(dir, { recursive: true });
  mkdirSync(lib, { recursive: true });
  const target = where === 'inside' ? './lib' : where === 'outside' ? '../lib' : '../nowhere';
  if (where === 'unused') {
    writeFileSync(join(dir, 'go.mod'), `module example.com/app\n\ngo 1.26\n\nreplace example.com/lib => ${target}\n`);
    writeFileSync(join(dir, 'main.go'), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from app") }\n');
    return { root, dir, lib };
  }
  writeFileSync(join(lib, 'go.mod'), 'module example.com/lib\n\ngo 1.26\n');
  writeFileSync(join(lib, 'lib.go'), 'package lib\n\nfunc Hello() string { return "hello from lib" }\n');
  writeFileSync(
    join(dir, 'go.mod'),
    `module example.com/app\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ${target}\n`,
  );
  writeFileSync(
    join(dir, 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/lib"\n)\n\nfunc main() { fmt.Println(lib.Hello()) }\n',
  );
  return { root, dir, lib };
}
