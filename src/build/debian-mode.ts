/**
 * Whether a build compiles with cgo, and whether it takes the Debian-package base: the ubuntu/debian paradigm
 * with a plan that needs cgo. Without cgo the paradigm degrades to the static embedded base (a CGO_ENABLED=0
 * binary gains nothing from glibc), and the build says so in its notes. A cgo plan on any other base is
 * compiled with the host's C compiler and the image is checked against the base's libc (image-check.ts).
 */
import { GokilnError } from '../errors.js';
import { formatPlatform, type Platform } from '../image/oci.js';
import type { Plan } from '../project/plan.js';
import { checkSuiteName } from '../image/debian/index.js';
import type { DebianBaseOptions } from './debian-base.js';
import { hostPlatform, type BuildOptions } from './options.js';

export interface DebianBuildMode {
  /** compile with CGO_ENABLED=1 (the host's C compiler: host platform only) */
  cgo: boolean;
  /** put the binaries on a base assembled from the Debian packages they need */
  debianBase: boolean;
  options: Omit<DebianBaseOptions, 'mtime'>;
  notes: string[];
}

export function debianBuildMode(opts: BuildOptions, plan: Plan, platforms: Platform[]): DebianBuildMode {
  const ubuntu = opts.paradigm === 'ubuntu' || opts.paradigm === 'debian';
  const debianFlags = opts.suite !== undefined || (opts.packages?.length ?? 0) > 0 || opts.lockfile !== undefined || opts.update;
  if (!ubuntu) {
    if (debianFlags)
      throw new GokilnError(
        'E_USAGE',
        '--suite, --packages, --lockfile and --update choose the Debian packages of --paradigm ubuntu|debian',
      );
    if (plan.cgo.required) hostOnly(platforms, `or build on a base with the C library the binaries need: --paradigm ubuntu`);
    return { cgo: plan.cgo.required, debianBase: false, options: {}, notes: [] };
  }
  checkSuiteName(opts.suite);
  if (opts.update && !opts.lockfile) throw new GokilnError('E_USAGE', '--update rewrites the lockfile: name it with --lockfile FILE');
  if (!plan.cgo.required) {
    return {
      cgo: false,
      debianBase: false,
      options: {},
      notes: [
        `--paradigm ${opts.paradigm}: no cgo in the build, so the binaries are static (CGO_ENABLED=0) and go on the embedded static base; no Debian packages are needed`,
      ],
    };
  }
  if (opts.base !== undefined && opts.base !== 'embedded') {
    throw new GokilnError(
      'E_UNSUPPORTED',
      `--base ${opts.base} with --paradigm ${opts.paradigm}: the cgo build's base is assembled from Debian packages; omit --base`,
    );
  }
  hostOnly(platforms, 'or set CC to a cross compiler in a Dockerfile build (gokiln init --paradigm ubuntu)');
  const options: Omit<DebianBaseOptions, 'mtime'> = {};
  if (opts.suite) options.suite = opts.suite;
  if (opts.packages?.length) options.packages = opts.packages;
  if (opts.lockfile) options.lockfile = opts.lockfile;
  if (opts.update) options.update = true;
  if (opts.debianMirror) options.mirror = opts.debianMirror;
  return { cgo: true, debianBase: true, options, notes: [] };
}

/** cgo is compiled with the host's C compiler: a platform of another architecture is refused, naming the fix. */
function hostOnly(platforms: Platform[], orElse: string): void {
  const host = hostPlatform();
  const foreign = platforms.filter((p) => p.architecture !== host.architecture);
  if (foreign.length) {
    throw new GokilnError(
      'E_PLATFORM',
      `--platform ${foreign.map(formatPlatform).join(',')}: this build needs cgo, and gokiln compiles cgo with the host's C compiler (${formatPlatform(host)}); build on a ${foreign.map(formatPlatform).join('/')} machine, ${orElse}`,
    );
  }
}
