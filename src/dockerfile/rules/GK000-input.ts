import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { unexplainedCopies } from '../copy-origins.js';
import { imageChain } from '../rule-helpers.js';

/** Problems reading the Dockerfile itself; the model collects them, this rule reports them. */
export const GK000: Rule = {
  id: 'GK000',
  severity: 'error',
  title: 'The Dockerfile cannot be read as written',
  explanation:
    'A malformed or binary file, an unknown instruction, an instruction before the first FROM, or an ARG used in FROM that no ARG ' +
    'declares: Docker refuses such a file or builds something other than intended; the other rules only see what could be understood. ' +
    'A FROM that takes its image from an ARG declared without a default (`ARG GO_IMAGE`, `FROM golang:${GO_IMAGE}`) is a normal, ' +
    'buildable Dockerfile whose Makefile or CI passes --build-arg: lint says once, as info, which stages it could not resolve and ' +
    'therefore judged without knowing their base image, and lints everything else. Each `COPY --from=stage SRC` into a runtime ' +
    'stage is followed back to the command that wrote SRC (go build -o, go install into GOPATH/bin or GOBIN, make or a script, a RUN ' +
    'that names the path, a COPY from the build context); when no visible command wrote it, lint says so as info: the rules that ' +
    'judge the binary (GK006, GK007, GK015, GK023) were not applied to that file.',
  fix: 'Correct the line, or declare the ARG before the first FROM; to lint a parameterised base, pass --build-arg NAME=value.',
  check: ({ model }) => {
    const out: RawFinding[] = model.problems.map((p) => ({
      line: p.line,
      column: p.column,
      message: p.message,
      ...(p.fix ? { fix: p.fix } : {}),
    }));
    const open = model.stages.filter((s) => s.unresolvedArgs?.length);
    if (open.length) {
      const args = [...new Set(open.flatMap((s) => s.unresolvedArgs!))];
      const stages = open.map((s) => `${s.name ?? `stage ${s.index}`} (FROM ${s.fromRaw}, line ${s.line + 1})`).join(', ');
      out.push({
        line: open[0]!.line,
        severity: 'info',
        message:
          `the base image of ${stages} comes from ${args.map((a) => `ARG ${a}`).join(', ')} without a default, set at build time: ` +
          'rules about base images (libc, shell, users, CA certificates, zoneinfo, support dates) were not applied to ' +
          (open.length === 1 ? 'it' : 'them'),
        fix: `pass ${args.map((a) => `--build-arg ${a}=…`).join(' ')} to lint them as built`,
      });
    }
    for (const o of unexplainedCopies(model)) {
      const name = o.from.name ?? `stage ${o.from.index}`;
      const root = imageChain(model, o.from).at(-1)!;
      const fromImage =
        root.image.kind !== 'golang' && root.runs.length === 0 && o.from.runs.length === 0
          ? ` (it may come with its base image ${root.fromResolved})`
          : '';
      out.push({
        line: o.copy.line,
        severity: 'info',
        message: `no visible command wrote ${o.path} in stage ${name}${fromImage}; rules that judge the binary were not applied`,
        fix: `check the COPY path against the build's output (go build -o ${o.path} …), or build it in the Dockerfile so lint can judge it`,
      });
    }
    return out;
  },
};
