import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { ldflagsStatic } from '../go-command.js';
import type { Stage } from '../model.js';
import { buildsReaching } from '../stage-graph.js';
import { feedingStages } from '../stage-graph.js';
import { copiesInto, imageLabel, runtimeStages } from '../rule-helpers.js';
import { cgoLinkage } from '../cgo-linkage.js';

export const GK006: Rule = {
  id: 'GK006',
  severity: 'error',
  title: 'cgo binary copied into an image without its libc',
  explanation:
    "A cgo binary is linked dynamically against the builder's C library and names its loader (PT_INTERP). Copied into scratch or distroless " +
    'static (no libc) or from a glibc builder into Alpine (musl), it fails with "exec ./app: no such file or directory". cgo is on when ' +
    'CGO_ENABLED=1 is set, and by default on a Debian-based golang image, which ships gcc. cgo on is not enough: the binary is dynamic ' +
    'only when a package in it uses cgo (`import "C"` in the module or a vendored dependency, or net, os/user or plugin from the ' +
    'standard library, which net/http and crypto/tls import); a program of pure-Go packages is static either way. With the build ' +
    'context gokiln reads the imports and reports only a program that links cgo; without it (or with dependencies it cannot read) ' +
    'the finding says it is conditional. When the build runs inside make or a script, gokiln cannot see the setting and only asks ' +
    'to make it explicit. The build judged is the one that wrote the copied path (matched by go build -o, go install into GOBIN); ' +
    'when no visible command wrote it, GK000 says so as info and this rule does not guess.',
  fix: 'Set CGO_ENABLED=0 for a static binary, or run it on an image with the same libc (distroless/base or cc, debian, or alpine for musl builds).',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    for (const rt of runtimeStages(model)) {
      const rtLibc = rt.image.libc;
      if (rtLibc === undefined) continue;
      // the loader copied in by hand (COPY --from=builder /lib64/ld-linux-x86-64.so.2 …, with the libraries
      // `ldd` listed): the binary finds its interpreter, so the claim does not hold
      if (copiesInto(model, rt, /\/ld-linux[^/]*\.so|\/ld-musl-[^/]*\.so/)) continue;
      const seen = new Set<number>();
      for (const { inv, stage } of buildsReaching(model, rt)) {
        if (inv.cgo.on !== true || ldflagsStatic(inv)) continue;
        // tonistiigi/xx's `xx-verify --static` fails the build unless the binary is static
        if (stage.runs.some((r) => /\bxx-verify\b[^&|;\n]*--static/.test(r.script))) continue;
        const bLibc = stage.image.libc;
        if (bLibc === undefined || bLibc === rtLibc || bLibc === 'none') continue;
        if (seen.has(inv.line)) continue;
        // cgo on links cgo only when a package uses it: a pure-Go program is static
        const link = cgoLinkage(model.context, inv);
        if (link.links === false) continue;
        seen.add(inv.line);
        const where = rtLibc === 'none' ? `${imageLabel(rt)}, which has no C library` : `${imageLabel(rt)}, which has ${rtLibc}`;
        out.push({
          line: inv.line,
          message:
            link.links === true
              ? `cgo binary (${inv.cgo.reason}; ${link.why}) is linked against ${bLibc} from ${imageLabel(stage)} and runs on ${where}: exec fails with "no such file or directory"`
              : `cgo is on (${inv.cgo.reason}), so if any package of the program uses cgo (import "C", or net, os/user or plugin, which net/http imports) the binary is linked against ${bLibc} from ${imageLabel(stage)} and exec fails with "no such file or directory" on ${where}; ${link.why}`,
          fix: inv.cgo.explicit
            ? "build with CGO_ENABLED=0 or change the runtime image to one with the builder's libc"
            : 'add CGO_ENABLED=0 to the build (the default is on here), or change the runtime image',
        });
      }
      // builds hidden in make/scripts: say only what is visible
      if (rtLibc === 'none' || rtLibc === 'musl') {
        for (const { stage } of feedingStages(model, rt)) {
          if (stage.index === rt.index && stage.opaqueBuilds.length === 0) continue;
          for (const ob of stage.opaqueBuilds) {
            if (!hiddenCgoRisk(stage, rtLibc)) continue;
            out.push({
              line: ob.line,
              severity: 'info',
              message: `the Go build runs inside \`${ob.what}\`, where gokiln cannot see CGO_ENABLED; on ${imageLabel(stage)} cgo defaults to on, and ${imageLabel(rt)} cannot run a cgo binary`,
              fix: 'set ENV CGO_ENABLED=0 (or 1) in the builder stage so the Dockerfile says what the binary is',
            });
          }
        }
      }
    }
    return out;
  },
};

function hiddenCgoRisk(stage: Stage, rtLibc: string): boolean {
  if (stage.env.CGO_ENABLED !== undefined && stage.env.CGO_ENABLED !== '') return false;
  const img = stage.image;
  if (img.kind !== 'golang') return false;
  const gcc = img.cgoToolchain === true || stage.packages.has('gcc') || stage.packages.has('build-base');
  return gcc && img.libc !== rtLibc;
}
