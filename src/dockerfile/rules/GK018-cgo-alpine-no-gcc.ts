import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { imageLabel } from '../rule-helpers.js';
import { cgoLinkage } from '../cgo-linkage.js';

export const GK018: Rule = {
  id: 'GK018',
  severity: 'error',
  title: 'CGO_ENABLED=1 on an Alpine builder without gcc and musl-dev',
  explanation:
    'The golang Alpine images contain Go and ca-certificates only: no C compiler and no C headers. With CGO_ENABLED=1 a program that ' +
    'uses cgo stops building with "cgo: C compiler "gcc" not found" (or missing headers without musl-dev). cgo on is not enough: the C ' +
    'compiler runs only when a package in the program uses cgo (`import "C"` in the module or a vendored dependency, or net, os/user or ' +
    'plugin from the standard library, which net/http and crypto/tls import); a program of pure-Go packages builds without gcc. With the ' +
    'build context gokiln reads the imports and reports only a program that uses cgo; without it (or with dependencies it cannot read) ' +
    'the finding says it is conditional. Without CGO_ENABLED, cgo is on when the go command finds gcc: `apk add gcc` alone turns cgo on ' +
    'and leaves the headers out (stdlib.h: No such file or directory).',
  fix: 'RUN apk add --no-cache gcc musl-dev (or build-base) before the build, or build with CGO_ENABLED=0.',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      if (st.image.kind !== 'golang' || st.image.os?.distro !== 'alpine' || st.image.cgoToolchain === true) continue;
      const hasGcc = st.packages.has('gcc') || st.packages.has('build-base') || st.packages.has('clang');
      const hasHeaders = st.packages.has('musl-dev') || st.packages.has('build-base');
      if (hasGcc && hasHeaders) continue;
      for (const g of st.goCommands) {
        // cgo on by default (not set) means the go command found gcc: then only the headers can be missing,
        // the classic `apk add gcc` without musl-dev
        if (!(g.sub === 'build' || g.sub === 'install' || g.sub === 'test' || g.sub === 'run') || g.cgo.on !== true) continue;
        // the C compiler runs only for a package that uses cgo: a pure-Go program builds with cgo on and no gcc
        const link = cgoLinkage(model.context, g);
        if (link.links === false) continue;
        const missing = [hasGcc ? '' : 'gcc', hasHeaders ? '' : 'musl-dev'].filter(Boolean).join(' and ');
        const stops = hasGcc ? 'the C headers are missing' : 'the build stops with "cgo: C compiler "gcc" not found"';
        const on = g.cgo.explicit ? 'CGO_ENABLED=1' : `cgo on by default (${g.cgo.reason})`;
        out.push({
          line: g.line,
          message:
            link.links === true
              ? `${on} on ${imageLabel(st)}, which has no ${missing}, and the program uses cgo (${link.why}): ${stops}`
              : `${on} on ${imageLabel(st)}, which has no ${missing}: if any package of the program uses cgo (import "C", or net, os/user or plugin, which net/http imports) ${stops}; ${link.why}`,
          fix: `RUN apk add --no-cache ${missing.replace(' and ', ' ')} before the build${g.cgo.explicit ? '' : ', or build with CGO_ENABLED=0'}`,
        });
      }
    }
    return out;
  },
};
