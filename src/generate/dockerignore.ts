/**
 * A .dockerignore that keeps the build context to what `go build` reads: sources, go.mod/go.sum,
 * embedded files and (for --offline, or whenever the project vendors) vendor/.
 */
export function renderDockerignore(opts: { keepVendor: boolean; packageDirs?: string[] }): string {
  // never ignore a directory that holds Go packages (a package named bin/ or dist/ must reach go build)
  const tops = new Set((opts.packageDirs ?? []).map((d) => d.replace(/^\.\//, '').split('/')[0]!).filter(Boolean));
  const lines = [
    '# Written by gokiln init: the build context holds only what go build needs.',
    '.git',
    '.gitignore',
    '.github',
    '.gitlab-ci.yml',
    '.vscode',
    '.idea',
    '**/.DS_Store',
    '# the Dockerfile and manifests do not go into the image',
    'Dockerfile*',
    '.dockerignore',
    'k8s',
    '# local build output, coverage and secrets',
    'bin',
    'dist',
    '*.test',
    '*.out',
    'coverage.*',
    '.env',
    '.env.*',
  ];
  if (!opts.keepVendor) lines.push('# modules are downloaded in the build (go mod download); a stale vendor/ must not switch on -mod=vendor', 'vendor');
  return lines.filter((l) => !tops.has(l)).join('\n') + '\n';
}
