/**
 * `gokiln init [DIR] --paradigm alpine|ubuntu|distroless`: writes the Dockerfile, .dockerignore and, on
 * request, k8s manifests (--k8s) and the pprof admin package (--pprof, the only source file it adds).
 * Refuses (exit 2, nothing written) a module without a main package, with a go line newer than any
 * Go release gokiln knows, or (without --offline) with a go.mod replace to a directory outside the
 * project: the Dockerfile could not build. Flags → initProject() or diffInit() → report/init-text.ts.
 */
import type { Command } from 'commander';
import { diffInit, initProject, type InitProjectOptions } from '../tasks/init.js';
import { initDiffJson, initDiffText, initDryRunText, initJson, initText } from '../report/init-text.js';
import { colors, withFailures } from './output.js';

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

export function registerInit(program: Command, setExit: (code: number) => void): void {
  program
    .command('init')
    .description(
      'write a Dockerfile for the project (and .dockerignore; k8s manifests with --k8s; a pprof admin package with --pprof); never overwrites without --force',
    )
    .argument('[dir]', 'project directory', '.')
    .option('--paradigm <name>', "alpine, ubuntu or distroless for every binary (default: each binary's own recommendation)")
    .option(
      '--binary <name>',
      'build only this command (repeatable; default: all but examples, tests and tools)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--all-binaries', 'build every command, examples, tests and tools included')
    .option('--output <path>', 'write the Dockerfile here (relative to the project), its ignore file beside it as <path>.dockerignore')
    .option('--diff', "write nothing: show what gokiln would change in the project's Dockerfile and why")
    .option('--offline', 'build from vendor/ (runs go mod vendor when vendor/ is missing), GOFLAGS=-mod=vendor, GOPROXY=off')
    .option(
      '--k8s',
      'also write k8s/deployment.yaml and the debug overlay in k8s/debug/ (no source files; add --pprof for the admin package the overlay port-forwards to)',
    )
    .option('--pprof', 'also write internal/admin/admin.go, a Go package in your source tree (pprof and expvar on localhost:6060)')
    .option(
      '--pin-digests',
      'resolve each FROM image to its digest through the registry (mirrors from registries.conf) and write name:tag@sha256:…',
    )
    .option('--force', 'overwrite existing files')
    .option('--dry-run', 'print what would be written, write nothing')
    .option('--json', 'print the written files and the build spec as JSON (schemas/init.schema.json)')
    .action(
      withFailures(setExit, async (dir: string, flags: InitFlags) => {
        const opts: InitProjectOptions = {
          paradigm: flags.paradigm,
          binaries: flags.binary,
          allBinaries: flags.allBinaries,
          output: flags.output,
          offline: flags.offline,
          k8s: flags.k8s,
          pprof: flags.pprof,
          force: flags.force,
          dryRun: flags.dryRun,
          pinDigests: flags.pinDigests,
        };
        if (flags.diff) {
          const diff = diffInit(dir, opts);
          process.stdout.write(flags.json ? initDiffJson(diff, dir) : initDiffText(diff, dir));
          return;
        }
        const run = await initProject(dir, opts);
        if (flags.json) process.stdout.write(initJson(run, dir));
        else process.stdout.write(run.dryRun ? initDryRunText(run, colors()) : initText(run, dir, flags.output, colors()));
      }),
    );
}
