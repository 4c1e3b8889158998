import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import type { DockerfileModel, Stage } from '../model.js';
import { imageChain } from '../rule-helpers.js';
import { compareVersions } from '../../compare-versions.js';
import { goMinor } from '../../project/gomod.js';

/**
 * The stage's Go is known to predate 1.18: a golang image of an older minor, or Alpine before 3.16, whose
 * `go` package is 1.17 or older (3.15 ships go 1.17, 3.16 go 1.18: pkgs.alpinelinux.org, package go).
 */
function goBefore118(st: Stage): boolean {
  const img = st.image;
  if (img.kind === 'golang') return img.goVersion !== undefined && compareVersions(goMinor(img.goVersion), '1.18') < 0;
  if (img.os?.distro === 'alpine') return compareVersions(img.os.release, '3.16') < 0;
  // an OS release older than the tables (Ubuntu before 18.04, Debian before 9, Alpine before 3.15) packages Go 1.10 or older
  return img.olderThanKnown === true;
}

/** go.mod (or the whole context) was copied into this stage or an ancestor before `line`. */
function goModCopied(model: DockerfileModel, st: Stage, line: number): boolean {
  return imageChain(model, st).some((s) =>
    s.copies.some(
      (c) => c.from === undefined && c.line < line && c.sources.some((x) => /(^|\/)go\.mod$/.test(x) || x === '.' || x === './'),
    ),
  );
}

export const GK017: Rule = {
  id: 'GK017',
  severity: 'warning',
  title: '`go install` without a version, or `go get` to install tools',
  explanation:
    'Since Go 1.17 `go install pkg@version` installs a tool reproducibly; without @version it needs a go.mod that requires the tool, and ' +
    '@latest changes over time: the same Dockerfile builds another tool tomorrow (a warning, like a base image on latest, GK003). Since Go 1.18 `go get` only edits go.mod and no longer builds or installs binaries (not reported where the Go in the stage is known to be older: a golang image before 1.18, Alpine before 3.16).',
  fix: 'go install example.com/tool/cmd/tool@v1.2.3',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      for (const g of st.goCommands) {
        // before Go 1.18 `go get` did build and install: the claim holds only for a newer (or unknown, so current) Go
        if (g.sub === 'get' && goBefore118(st)) continue;
        if (g.sub === 'get') {
          out.push({
            line: g.line,
            message: `go get ${g.packages.join(' ')} does not install binaries since Go 1.18`,
            fix: `go install ${(g.packages[0] ?? 'pkg').replace(/@.*$/, '')}@<version>`,
          });
          continue;
        }
        if (g.sub !== 'install') continue;
        for (const p of g.packages) {
          if (p.startsWith('.') || p.startsWith('/') || p.startsWith('$')) continue;
          // a local package path of the main module; a path starting with @ is no module path (go refuses it)
          if (!/^[^/@]+\.[^/]+\//.test(p)) continue;
          const own = model.context.goMod?.module;
          if (own && (p === own || p.startsWith(own + '/'))) continue; // the main module's own commands
          const at = p.indexOf('@');
          // without @version the go.mod in the working directory picks the version: fine once go.mod is copied in
          if (at < 0 && goModCopied(model, st, g.line)) continue;
          if (at < 0) out.push({ line: g.line, message: `go install ${p} has no @version`, fix: `go install ${p}@<version>` });
          else if (p.slice(at + 1) === 'latest')
            out.push({
              line: g.line,
              message: `go install ${p} installs whatever is newest on the day of the build, so two builds of the same Dockerfile can differ`,
              fix: `go install ${p.slice(0, at)}@<version>`,
            });
        }
      }
    }
    return out;
  },
};
