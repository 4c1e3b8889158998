/**
 * `gokiln build [DIR]`: compiles the project's main packages with the host Go and writes a reproducible image
 * on the embedded base as an OCI layout (--oci DIR) or a docker-archive (--archive FILE). Only flags and
 * printing here; the work is buildImage() in src/build.
 */
import type { Command } from 'commander';
import { GokilnError } from '../errors.js';
import { buildImage } from '../tasks/build.js';
import { parsePlatforms, type BuildOptions, type BuildOutput } from '../build/options.js';
import { buildText } from '../report/build-text.js';
import { printResult, progress, progressDone, withFailures } from './output.js';

interface BuildFlags {
  paradigm?: string;
  base?: string;
  platform?: string;
  tag?: string;
  oci?: string;
  archive?: string;
  push?: string;
  sbom?: string;
  mediaTypes?: string;
  entrypoint?: string;
  source?: string;
  insecureRegistry?: string;
  force?: boolean;
  json?: boolean;
  suite?: string;
  packages?: string;
  lockfile?: string;
  update?: boolean;
  debianMirror?: string;
  cache?: boolean;
}

function output(flags: BuildFlags): BuildOutput {
  const given = [flags.oci !== undefined, flags.archive !== undefined, flags.push !== undefined].filter(Boolean).length;
  if (given !== 1) throw new GokilnError('E_USAGE', 'name exactly one output: --oci DIR, --archive FILE or --push REF');
  if (flags.oci !== undefined) return { kind: 'oci', dir: flags.oci };
  if (flags.archive !== undefined) return { kind: 'archive', file: flags.archive };
  return { kind: 'push', ref: flags.push! };
}

function toOptions(dir: string, flags: BuildFlags): BuildOptions {
  const paradigms = ['distroless', 'ubuntu', 'debian', 'alpine'];
  if (flags.paradigm !== undefined && !paradigms.includes(flags.paradigm))
    throw new GokilnError('E_USAGE', `--paradigm must be one of ${paradigms.join(', ')}`);
  if (flags.sbom !== undefined && !['spdx', 'cyclonedx', 'none'].includes(flags.sbom))
    throw new GokilnError('E_USAGE', '--sbom must be spdx, cyclonedx or none');
  if (flags.mediaTypes !== undefined && !['oci', 'docker'].includes(flags.mediaTypes))
    throw new GokilnError('E_USAGE', '--media-types must be oci or docker');
  const opts: BuildOptions = { dir, output: output(flags), force: Boolean(flags.force) };
  if (flags.paradigm) opts.paradigm = flags.paradigm as BuildOptions['paradigm'];
  if (flags.base) opts.base = flags.base;
  if (flags.platform) opts.platforms = parsePlatforms(flags.platform);
  if (flags.tag) opts.tag = flags.tag;
  if (flags.sbom) opts.sbom = flags.sbom as BuildOptions['sbom'];
  if (flags.mediaTypes) opts.mediaTypes = flags.mediaTypes as 'oci' | 'docker';
  if (flags.entrypoint) opts.entrypoint = flags.entrypoint;
  if (flags.source) opts.source = flags.source;
  if (flags.insecureRegistry)
    opts.insecureRegistries = flags.insecureRegistry
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
  if (flags.suite) opts.suite = flags.suite;
  if (flags.packages)
    opts.packages = flags.packages
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
  if (flags.lockfile) opts.lockfile = flags.lockfile;
  if (flags.update) opts.update = true;
  if (flags.debianMirror) opts.debianMirror = flags.debianMirror;
  if (flags.cache === false) opts.cache = false;
  opts.onProgress = progress;
  return opts;
}

export function registerBuild(program: Command, setExit: (code: number) => void): void {
  program
    .command('build')
    .description('compile the main packages with the host Go and write a reproducible image on the embedded base (no daemon, no registry)')
    .argument('[dir]', 'project directory', '.')
    .option(
      '--paradigm <name>',
      'distroless (default), ubuntu|debian: a cgo build on a base of the Debian packages it needs (without cgo: the static embedded base), or alpine: on alpine:<newest> from the registry (or --base), static unless cgo is needed',
    )
    .option('--suite <name>', 'ubuntu|debian paradigm: the Debian suite (trixie, default, or bookworm)')
    .option('--packages <names>', 'ubuntu|debian paradigm: comma-separated Debian packages to add to the base')
    .option('--lockfile <file>', 'ubuntu|debian paradigm: use exactly the packages of this lockfile (written when missing)')
    .option('--update', 'ubuntu|debian paradigm: resolve the packages again and rewrite --lockfile')
    .option('--debian-mirror <url>', "ubuntu|debian paradigm: the Debian mirror (default: this machine's apt sources, else deb.debian.org)")
    .option(
      '--base <ref>',
      'embedded (default), a registry reference, oci:DIR[:TAG] or docker-archive:FILE; a cgo binary is checked against its libc',
    )
    .option('--platform <list>', "linux/amd64,linux/arm64 … (default: this machine's); several give an image index")
    .option('--tag <name>', "NAME[:TAG] of the image (default: the module's last path element, tag latest)")
    .option('--oci <dir>', 'write an OCI image layout')
    .option('--archive <file>', 'write a docker-archive (manifest.json + repositories + the OCI layout) for docker/podman load')
    .option(
      '--push <ref>',
      'push to a registry (HTTPS; plain HTTP for loopback hosts and --insecure-registry ones); credentials from $DOCKER_CONFIG/config.json',
    )
    .option('--insecure-registry <hosts>', 'comma-separated registry hosts to reach over plain HTTP')
    .option('--sbom <format>', 'spdx (SPDX 2.3, default), cyclonedx (CycloneDX 1.5) or none')
    .option('--media-types <kind>', 'oci (default) or docker (Docker v2 schema 2)')
    .option('--entrypoint <binary>', 'the main package whose binary is the entrypoint, when there are several')
    .option('--source <url>', 'org.opencontainers.image.source annotation')
    .option('--force', 'replace an existing output')
    .option('--no-cache', "neither read nor write gokiln's layer and pushed-blob caches (~/.cache/gokiln; the image is the same)")
    .option('--json', 'machine-readable output (schemas/build.schema.json)')
    .action(
      withFailures(setExit, async (dir: string, flags: BuildFlags) => {
        const r = await buildImage(toOptions(dir, flags)).finally(progressDone);
        printResult(flags.json, r, buildText);
      }),
    );
}
