/**
 * `gokiln init [DIR] --paradigm alpine|ubuntu|distroless`: writes the Dockerfile, .dockerignore and, on
 * request, k8s manifests (--k8s) and the pprof admin package (--pprof, the only source file it adds).
 * Refuses (exit 2, nothing written) a module without a main package, with a go line newer than any
 * Go release gokiln knows, or (without --offline) with a go.mod replace to a directory outside the
 * project: the Dockerfile could not build.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { scanProject } from '../project/scan.js';
import { buildPlan, PARADIGMS, type Paradigm } from '../project/plan.js';
import { checkTargets, generateFiles, writeFiles } from '../generate/init.js';
import { which } from '../doctor/environment.js';
import { GokilnError } from '../errors.js';
import { localReplaces } from '../project/replaces.js';
import { goErrorLine } from '../project/go-output.js';
import { colors, toJson } from './output.js';
import { diffDockerfile, diffText } from '../generate/diff.js';
import { lintDockerfile } from '../dockerfile/lint.js';
import { loadBuildContext } from '../dockerfile/context.js';
import { resolvePins, type Pins } from '../generate/pin.js';
import type { DigestResolution } from '../image/registry/resolve-digest.js';

interface InitFlags {
  paradigm?: string;
  offline?: boolean;
  k8s?: boolean;
  pprof?: boolean;
  force?: boolean;
  json?: boolean;
  dryRun?: boolean;
  binary?: string[];
  allBinaries?: boolean;
  output?: string;
  diff?: boolean;
  pinDigests?: boolean;
}

export function registerInit(program: Command, _setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a Dockerfile for the project (and .dockerignore; k8s manifests with --k8s; a pprof admin package with --pprof); never overwrites without --force')
    .argument('[dir]', 'project directory', '.')
    .option('--paradigm <name>', 'alpine, ubuntu or distroless for every binary (default: each binary\'s own recommendation)')
    .option('--binary <name>', 'build only this command (repeatable; default: all but examples, tests and tools)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--all-binaries', 'build every command, examples, tests and tools included')
    .option('--output <path>', 'write the Dockerfile here (relative to the project), its ignore file beside it as <path>.dockerignore')
    .option('--diff', 'write nothing: show what gokiln would change in the project\'s Dockerfile and why')
    .option('--offline', 'build from vendor/ (runs go mod vendor when vendor/ is missing), GOFLAGS=-mod=vendor, GOPROXY=off')
    .option('--k8s', 'also write k8s/deployment.yaml and the debug overlay in k8s/debug/ (no source files; add --pprof for the admin package the overlay port-forwards to)')
    .option('--pprof', 'also write internal/admin/admin.go, a Go package in your source tree (pprof and expvar on localhost:6060)')
    .option('--pin-digests', 'resolve each FROM image to its digest through the registry (mirrors from registries.conf) and write name:tag@sha256:…')
    .option('--force', 'overwrite existing files')
    .option('--dry-run', 'print what would be written, write nothing')
    .option('--json', 'print the written files and the build spec as JSON (schemas/init.schema.json)')
    .action(async (dir: string, flags: InitFlags) => {
      const abs = resolve(dir);
      if (flags.paradigm !== undefined && !PARADIGMS.includes(flags.paradigm as Paradigm)) {
        throw new GokilnError('E_USAGE', `--paradigm must be one of ${PARADIGMS.join(', ')}`);
      }
      if (flags.pinDigests && flags.diff) throw new GokilnError('E_USAGE', '--diff writes no Dockerfile: leave --pin-digests out');
      const go = which('go', process.env);
      let pins: Pins | undefined;
      let resolved: DigestResolution[] = [];
      const generate = () => {
        const scan = scanProject(abs, { go });
        const plan = buildPlan(scan, { select: { binaries: flags.binary, all: Boolean(flags.allBinaries) } });
        const paradigm = flags.paradigm as Paradigm | undefined;
        const out = generateFiles(plan, {
          paradigm,
          output: flags.output,
          offline: Boolean(flags.offline),
          k8s: Boolean(flags.k8s),
          pprof: Boolean(flags.pprof),
          hasGoSum: existsSync(join(abs, 'go.sum')),
          replaces: localReplaces(scan.goMod, scan.depModules),
          pins,
        });
        return { plan, paradigm, ...out };
      };
      // everything that can refuse (the plan, the paradigm, every target) is decided before the first side
      // effect: go mod vendor writes vendor/, so it runs only once the files are known to be writable
      if (flags.output !== undefined && (flags.output === '' || flags.output.startsWith('/') || flags.output.split(/[\\/]/).includes('..'))) {
        throw new GokilnError('E_USAGE', '--output must be a path inside the project, relative to it (the Dockerfile builds with the project as its context)');
      }
      let g = generate();
      if (flags.diff) {
        const own = join(abs, flags.output ?? 'Dockerfile');
        if (!existsSync(own)) throw new GokilnError('E_NOT_FOUND', `${own} not found: --diff compares the project's Dockerfile with gokiln's`, { file: own });
        let text: string;
        try {
          text = readFileSync(own, 'utf8');
        } catch (e) {
          throw new GokilnError((e as NodeJS.ErrnoException).code === 'EISDIR' ? 'E_IS_DIRECTORY' : 'E_IO', `cannot read ${own}: ${(e as Error).message}`, { file: own });
        }
        const findings = lintDockerfile(text, { file: own, context: loadBuildContext(abs).context });
        const items = diffDockerfile(text, g.plan, g.specs, findings);
        process.stdout.write(flags.json ? toJson({ schema: 'gokiln/init-diff@1', dir, file: join(dir, flags.output ?? 'Dockerfile'), items }) : diffText(items, join(dir, flags.output ?? 'Dockerfile')));
        return;
      }
      if (!flags.dryRun) checkTargets(abs, g.files, Boolean(flags.force));
      // resolved before go mod vendor writes anything: a base image that cannot be resolved leaves the project as it was
      const pin = async () => {
        const r = await resolvePins(g.specs, { env: process.env }, pins);
        pins = r.pins;
        resolved = [...resolved, ...r.resolved];
        g = generate();
      };
      if (flags.pinDigests) await pin();
      if (flags.offline && !existsSync(join(abs, 'vendor', 'modules.txt')) && !flags.dryRun) {
        if (!go) throw new GokilnError('E_USAGE', '--offline needs vendor/: run `go mod vendor` (go is not on PATH here)');
        const r = spawnSync(go, ['mod', 'vendor'], { cwd: abs, encoding: 'utf8', timeout: 300_000 });
        // one line, as every error: go's first line that is not progress, then all it said, collapsed
        if (r.status !== 0) throw new GokilnError('E_IO', `${abs}: go mod vendor failed: ${goErrorLine(r.stderr || r.error?.message || '', `exit ${r.status}`)}`, { file: abs });
        // the vendored modules are now readable: plan again from them (and pin a base image that changed)
        g = generate();
        if (flags.pinDigests) await pin();
      }
      const { plan, paradigm, spec, specs, files } = g;
      const written = flags.dryRun ? [] : writeFiles(abs, files, Boolean(flags.force));
      if (flags.json) {
        process.stdout.write(toJson({ schema: 'gokiln/init@1', dir, paradigm: paradigm ?? plan.recommended.paradigm, written, dryRun: Boolean(flags.dryRun), spec, specs, files: flags.dryRun ? files : undefined, pins: flags.pinDigests ? resolved : undefined }));
        return;
      }
      const c = colors();
      if (flags.dryRun) {
        for (const f of files) process.stdout.write(`${c.bold(`=== ${f.path}`)}\n${f.content}\n`);
        return;
      }
      const used = [...new Set(specs.map((x) => x.paradigm))].join(', ');
      process.stdout.write(`${c.bold(`gokiln init: ${used}`)} (${paradigm ? '--paradigm' : 'each binary\'s recommendation'})\n`);
      for (const w of written) process.stdout.write(`  wrote ${join(dir, w)}\n`);
      for (const p of resolved) process.stdout.write(`  pinned ${p.ref}@${p.digest}${p.source === p.name ? '' : ` (read from ${p.source})`}\n`);
      // with --offline or a consistent vendor/, vendor/ carries a replacement from outside the project: that warning is answered
      for (const w of plan.warnings) if (!(spec.vendored && w.code === 'replace-outside-context')) process.stdout.write(c.yellow(`warning: ${w.message}\n`));
      process.stdout.write(c.dim(`${nextSteps(dir, specs.flatMap((x) => x.binaries), flags.output).join('\n')}\n`));
    });
}

/**
 * What to run after init: lint, then one `docker build` per image. With several binaries each has its
 * own final stage, and `docker build` without --target builds only the last one, so every binary gets
 * its `--target <stage>`, tagged by that stage name.
 */
export function nextSteps(dir: string, binaries: ReadonlyArray<{ name: string; stage: string | null; main?: boolean }>, output?: string): string[] {
  const lint = `gokiln lint ${join(dir, output ?? 'Dockerfile')}`;
  const f = output ? ` -f ${join(dir, output)}` : '';
  // in the Dockerfile's order: the main binary's stage last
  const multi = binaries.filter((b) => b.stage !== null).sort((x, y) => Number(Boolean(x.main)) - Number(Boolean(y.main)) || x.name.localeCompare(y.name));
  if (multi.length === 0) return [`next: ${lint} && docker build${f} -t ${binaries[0]?.name.toLowerCase() ?? 'app'} ${dir}`];
  return [`next: ${lint}`, ...multi.map((b) => `  docker build${f} --target ${b.stage} -t ${b.stage} ${dir}`)];
}
