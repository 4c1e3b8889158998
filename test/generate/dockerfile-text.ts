/**
 * Reads a generated Dockerfile's TEXT the way `docker build` would, independently of the generator's
 * structured spec: continuation lines joined, comments dropped, stages with their ARG (build-arg or
 * default, the automatic TARGETOS, TARGETARCH, BUILDPLATFORM… platform args once declared) and ENV values in the order
 * they take effect, and each RUN's shell command with its BuildKit flags (`--mount=…`) removed. A test
 * then runs those commands with `sh -c`, so what is checked is the text, not the model it came from.
 */
import { strict as assert } from 'node:assert';

export interface TextRun {
  line: number;
  /** the shell command, BuildKit flags removed */
  command: string;
  /** what the RUN sees: the stage's ARGs declared so far (with a value) and ENVs */
  env: Record<string, string>;
}

export interface TextStage {
  line: number;
  image: string;
  platform: string | null;
  name: string | null;
  workdir: string | null;
  /** ARG defaults as written (`VERSION=dev`), `null` when declared without one */
  argDefaults: Record<string, string | null>;
  runs: TextRun[];
  /** `COPY --from=<stage> <src> <dst>` of this stage */
  copiesFrom: Array<{ from: string; src: string; dst: string }>;
  /** COPY from the build context and RUN, in the order the stage runs them (for a build that starts from an empty WORKDIR) */
  steps: Array<{ kind: 'copy'; line: number; sources: string[]; dest: string } | ({ kind: 'run' } & TextRun)>;
}

/** Physical lines joined at a trailing `\`; comment lines dropped (also inside a continuation, as Docker does). */
export function logicalLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let cur: { line: number; text: string } | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    if (/^\s*#/.test(raw)) continue;
    if (!cur && raw.trim() === '') continue;
    const cont = /\\\s*$/.test(raw);
    const body = cont ? raw.replace(/\\\s*$/, '') : raw;
    if (cur) cur.text += body;
    else cur = { line: i + 1, text: body };
    if (!cont) {
      out.push({ line: cur.line, text: cur.text.trim() });
      cur = null;
    }
  }
  assert.equal(cur, null, 'the Dockerfile ends inside a continuation line');
  return out;
}

/** `$VAR` and `${VAR}` as Docker expands them in ARG and ENV values; an unset name is empty. */
function expand(v: string, vars: Record<string, string>): string {
  return v.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? '');
}

/** `k=v k2="v 2"` (or the old `ENV k v`) into pairs. */
function assignments(rest: string, keyword: string): Array<[string, string | null]> {
  if (keyword === 'ENV' && !/^\w+=/.test(rest)) {
    const m = /^(\w+)\s+(.*)$/.exec(rest);
    assert.ok(m, `ENV ${rest}`);
    return [[m[1]!, m[2]!]];
  }
  const out: Array<[string, string | null]> = [];
  for (const m of rest.matchAll(/(\w+)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    const raw = m[2];
    const val =
      raw === undefined
        ? null
        : raw.startsWith('"')
          ? raw.slice(1, -1).replace(/\\(.)/g, '$1')
          : raw.startsWith("'")
            ? raw.slice(1, -1)
            : raw;
    out.push([m[1]!, val]);
  }
  return out;
}

export interface ReadOptions {
  /** `docker build --build-arg k=v` */
  buildArgs?: Record<string, string>;
  /** the target (and, here, build) platform */
  platform: { os: string; arch: string };
}

export function readStages(text: string, opts: ReadOptions): TextStage[] {
  const { os, arch } = opts.platform;
  const automatic: Record<string, string> = {
    TARGETPLATFORM: `${os}/${arch}`,
    TARGETOS: os,
    TARGETARCH: arch,
    TARGETVARIANT: '',
    BUILDPLATFORM: `${os}/${arch}`,
    BUILDOS: os,
    BUILDARCH: arch,
    BUILDVARIANT: '',
  };
  const stages: TextStage[] = [];
  let st: TextStage | null = null;
  let args: Record<string, string> = {};
  let env: Record<string, string> = {};
  for (const { line, text: l } of logicalLines(text)) {
    const m = /^(\w+)\s*(.*)$/s.exec(l);
    assert.ok(m, `line ${line}: ${l}`);
    const keyword = m[1]!.toUpperCase();
    const rest = m[2]!;
    if (keyword === 'FROM') {
      const f = /^(?:--platform=(\S+)\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      assert.ok(f, `line ${line}: FROM ${rest}`);
      st = {
        line,
        platform: f[1] ?? null,
        image: f[2]!,
        name: f[3] ?? null,
        workdir: null,
        argDefaults: {},
        runs: [],
        copiesFrom: [],
        steps: [],
      };
      stages.push(st);
      args = {};
      env = {};
      continue;
    }
    if (!st) {
      assert.equal(keyword, 'ARG', `line ${line}: ${keyword} before the first FROM`);
      continue;
    }
    const vars = () => ({ ...args, ...env });
    switch (keyword) {
      case 'ARG':
        for (const [k, def] of assignments(rest, 'ARG')) {
          st.argDefaults[k] = def;
          const v = opts.buildArgs?.[k] ?? (def !== null ? expand(def, vars()) : automatic[k]);
          if (v !== undefined) args[k] = v;
        }
        break;
      case 'ENV':
        for (const [k, v] of assignments(rest, 'ENV')) env[k] = expand(v ?? '', vars());
        break;
      case 'WORKDIR':
        st.workdir = rest;
        break;
      case 'RUN': {
        // BuildKit's RUN flags (--mount, --network, --security) come before the command
        let cmd = rest;
        for (let f = /^--[\w-]+=\S+\s+/.exec(cmd); f; f = /^--[\w-]+=\S+\s+/.exec(cmd)) cmd = cmd.slice(f[0].length);
        assert.ok(!cmd.startsWith('['), `line ${line}: exec-form RUN is not read here`);
        st.runs.push({ line, command: cmd.trim(), env: vars() });
        st.steps.push({ kind: 'run', line, command: cmd.trim(), env: vars() });
        break;
      }
      case 'COPY': {
        const c = /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(rest);
        if (c) st.copiesFrom.push({ from: c[1]!, src: c[2]!, dst: c[3]! });
        else {
          assert.ok(!/^--/.test(rest), `line ${line}: COPY flags are not read here: ${rest}`);
          const words = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
          assert.ok(words.length >= 2, `line ${line}: COPY ${rest}`);
          st.steps.push({ kind: 'copy', line, sources: words.slice(0, -1), dest: words.at(-1)! });
        }
        break;
      }
      default:
        break;
    }
  }
  return stages;
}
