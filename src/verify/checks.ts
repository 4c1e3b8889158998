/**
 * The static checks of `gokiln verify`, in the order a container start meets the problems: the runtime
 * resolves the user and the program, the kernel checks the file and its format, the loader finds the
 * interpreter, the libraries and their symbol versions; then the program's own needs (CA certificates,
 * zoneinfo) and habits worth a warning (root, /tmp). Each failure carries the message the user would see.
 */
import { inspectSource } from '../analysis/inspect.js';
import { compatArch } from '../knowledge/compat-arch.js';
import { failureMessage, renderMessage } from '../knowledge/failure-messages.js';
import { GO_CERT_DIRS, GO_CERT_FILES, GO_ZONE_DIRS, startMessage } from '../knowledge/image-lookups.js';
import { BufferSource } from '../formats/source.js';
import type { ImageView } from '../image/read/read-image.js';
import type { FileNode } from '../image/read/tree.js';
import type { InspectOk } from '../analysis/types.js';
import { envOf, type Command } from './command.js';
import { resolveLibraries } from './libraries.js';
import type { Check, CheckId } from './types.js';

export interface ImageUser {
  spec: string;
  uid: number | null;
  gid: number | null;
  name: string | null;
}

function fail(id: CheckId, message: string, fix: string, severity: Check['severity'] = 'error'): Check {
  return { id, ok: false, severity, message, fix };
}
function pass(id: CheckId, message: string, severity: Check['severity'] = 'error'): Check {
  return { id, ok: true, severity, message, fix: null };
}
function known(id: string, values: Record<string, string>): { text: string; fix: string } {
  const m = failureMessage(id);
  if (!m) throw new Error(`no failure message ${id}`);
  return { text: renderMessage(m.text, values), fix: m.fix };
}
function start(id: string, values: Record<string, string>): { text: string; fix: string } {
  const m = startMessage(id);
  return { text: renderMessage(m.text, values), fix: m.fix };
}

async function fileText(view: ImageView, path: string): Promise<string | null> {
  const l = view.tree.lookup(path);
  if (!l.node || l.node.type !== 'file') return null;
  return Buffer.from(await view.content(l.node)).toString('utf8');
}

/** USER as runc resolves it: `name`, `uid`, `name:group`, `uid:gid`, against the image's /etc/passwd and /etc/group. */
export async function resolveUser(view: ImageView): Promise<{ user: ImageUser; check: Check }> {
  const spec = view.config.config?.User ?? '';
  const [u = '', g] = spec.split(':');
  const passwd = (await fileText(view, '/etc/passwd')) ?? '';
  const groups = (await fileText(view, '/etc/group')) ?? '';
  const rows = passwd
    .split('\n')
    .map((l) => l.split(':'))
    .filter((r) => r.length >= 4);
  let uid: number | null;
  let gid: number | null;
  let name: string | null;
  if (u === '' || /^\d+$/.test(u)) {
    uid = u === '' ? 0 : Number(u);
    const row = rows.find((r) => Number(r[2]) === uid);
    name = row?.[0] ?? null;
    gid = row ? Number(row[3]) : uid;
  } else {
    const row = rows.find((r) => r[0] === u);
    if (!row) {
      const m = known('user-not-found', { user: u });
      return { user: { spec, uid: null, gid: null, name: u }, check: fail('user', m.text, m.fix) };
    }
    uid = Number(row[2]);
    gid = Number(row[3]);
    name = u;
  }
  if (g !== undefined && g !== '') {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const row = groups
        .split('\n')
        .map((l) => l.split(':'))
        .find((r) => r[0] === g);
      if (!row) {
        const m = known('group-not-found', { group: g });
        return { user: { spec, uid, gid: null, name }, check: fail('user', m.text, m.fix) };
      }
      gid = Number(row[2]);
    }
  }
  return { user: { spec, uid, gid, name }, check: pass('user', `runs as ${name ?? uid} (uid ${uid}, gid ${gid})`) };
}

/** execve's permission check for the image's user (root needs any x bit). */
function executableBy(node: FileNode, user: ImageUser): boolean {
  const m = node.mode;
  if (user.uid === 0) return (m & 0o111) !== 0;
  if (node.uid === user.uid) return (m & 0o100) !== 0;
  if (node.gid === user.gid) return (m & 0o010) !== 0;
  return (m & 0o001) !== 0;
}

function existsIn(view: ImageView, path: string, kind: 'file' | 'dir'): boolean {
  const l = view.tree.lookup(path);
  if (!l.node) return false;
  if (kind === 'file') return l.node.type === 'file' && l.node.size > 0;
  return l.node.type === 'dir' && l.node.children.size > 0;
}

export interface StaticOutcome {
  checks: Check[];
  facts: Omit<InspectOk, 'file'> | null;
  user: ImageUser;
}

export async function staticChecks(view: ImageView, cmd: Command): Promise<StaticOutcome> {
  const checks: Check[] = [];
  const env = envOf(view.config);
  const { user, check: userCheck } = await resolveUser(view);
  checks.push(userCheck);
  if (!userCheck.ok) return { checks, facts: null, user };
  if (cmd.argv.length === 0 || !cmd.binary) {
    const m = start('no-command', {});
    checks.push(fail('command', m.text, m.fix));
    return { checks, facts: null, user };
  }
  checks.push(pass('command', `${cmd.shellForm ? 'shell form' : 'exec form'}: ${JSON.stringify(cmd.argv)}`));
  if (cmd.shellForm) {
    const sh = view.tree.lookup('/bin/sh');
    if (!sh.node || sh.node.type !== 'file') {
      const m = start('no-shell', {});
      checks.push(fail('shell', m.text, m.fix));
      return { checks, facts: null, user };
    }
    checks.push(pass('shell', `/bin/sh is ${sh.path}`));
  }
  const path = cmd.binary;
  if (!path.startsWith('/')) {
    const m = start('not-in-path', { path });
    checks.push(fail('binary-exists', m.text, m.fix));
    return { checks, facts: null, user };
  }
  const l = view.tree.lookup(path);
  if (!l.node) {
    const m = start('no-binary', { path });
    const why = l.error === 'ELOOP' ? ` (a symlink loop at ${l.path})` : '';
    checks.push(fail('binary-exists', m.text + why, m.fix));
    return { checks, facts: null, user };
  }
  checks.push(pass('binary-exists', l.path === path ? `${path} exists` : `${path} resolves to ${l.path} inside the image`));
  if (l.node.type !== 'file') {
    const m = start('not-regular', { path });
    checks.push(fail('binary-regular', `${m.text} (it is a ${l.node.type === 'dir' ? 'directory' : l.node.type})`, m.fix));
    return { checks, facts: null, user };
  }
  checks.push(pass('binary-regular', `a regular file of ${l.node.size} bytes`));
  const node = l.node;
  if (!executableBy(node, user)) {
    const m = start('not-regular', { path });
    checks.push(
      fail(
        'binary-executable',
        `${m.text} (mode ${node.mode.toString(8).padStart(4, '0')}, owner ${node.uid}:${node.gid}, user ${user.uid}:${user.gid})`,
        m.fix,
      ),
    );
  } else checks.push(pass('binary-executable', `mode ${node.mode.toString(8).padStart(4, '0')} lets uid ${user.uid} execute it`));

  let facts: Omit<InspectOk, 'file'>;
  try {
    facts = inspectSource(new BufferSource(await view.content(node)), [], {}) as Omit<InspectOk, 'file'>;
  } catch {
    const m = known('wrong-arch', { path });
    checks.push(fail('binary-platform', `${m.text} (not an executable the kernel knows: no ELF header)`, m.fix));
    return { checks, facts: null, user };
  }
  const plat = view.platform.architecture;
  const archOk =
    facts.format === 'elf' &&
    facts.os === 'linux' &&
    (facts.arch === plat || compatArch(plat, facts.arch) !== undefined) &&
    facts.kind !== 'object';
  if (!archOk) {
    const m = known('wrong-arch', { path });
    checks.push(
      fail(
        'binary-platform',
        `${m.text} (a ${facts.os}/${facts.arch} ${facts.format.toUpperCase()} in a ${view.platform.os}/${plat} image)`,
        m.fix,
      ),
    );
    return { checks, facts, user };
  }
  checks.push(
    pass('binary-platform', `ELF ${facts.os}/${facts.arch}, ${facts.linking}, as the image's platform ${view.platform.os}/${plat}`),
  );

  if (facts.interpreter) {
    const il = view.tree.lookup(facts.interpreter);
    if (!il.node || il.node.type !== 'file') {
      const m = known('no-interpreter', { path });
      checks.push(fail('interpreter', `${m.text} (its interpreter ${facts.interpreter} is not in the image)`, m.fix));
      return { checks, facts, user };
    }
    checks.push(
      pass(
        'interpreter',
        il.path === facts.interpreter ? `${facts.interpreter} is in the image` : `${facts.interpreter} resolves to ${il.path}`,
      ),
    );
    const res = await resolveLibraries(
      view,
      {
        path,
        arch: facts.arch,
        bits: facts.bits,
        libc: facts.libc,
        interpreter: facts.interpreter,
        needed: facts.needed,
        rpath: facts.rpath,
        runpath: facts.runpath,
        versionNeeds: facts.versionNeeds,
      },
      env,
    );
    const miss = res.missing[0];
    if (miss) {
      const musl = facts.libc === 'musl';
      const m = known(musl ? 'missing-library-musl' : 'missing-library', { path: miss.by, lib: miss.name });
      checks.push(fail('libraries', m.text, m.fix));
      return { checks, facts, user };
    }
    checks.push(
      pass('libraries', res.loaded.length ? `loads ${res.loaded.map((x) => `${x.name} (${x.path})`).join(', ')}` : 'needs no libraries'),
    );
    if (res.versions.length) {
      const lines = res.versions.map((v) => `${path}: ${v.file}: version \`${v.version}' not found (required by ${v.by})`);
      const glibc = res.glibc ? `the image's libc.so.6 defines versions up to GLIBC_${res.glibc}; ` : '';
      const m = known('glibc-too-old', { path, file: '', version: '' });
      checks.push(fail('symbol-versions', lines.join('\n'), glibc + m.fix));
      return { checks, facts, user };
    }
    checks.push(
      pass(
        'symbol-versions',
        res.glibc ? `every symbol version is defined (libc.so.6 up to GLIBC_${res.glibc})` : 'every symbol version is defined',
      ),
    );
  }

  const n = facts.needs;
  if (n.caCerts) {
    const file = env.SSL_CERT_FILE;
    const dirs = env.SSL_CERT_DIR?.split(':').filter(Boolean);
    const have = file ? existsIn(view, file, 'file') : GO_CERT_FILES.some((f) => existsIn(view, f, 'file'));
    const haveDir = (dirs ?? GO_CERT_DIRS).some((d) => existsIn(view, d, 'dir'));
    if (!have && !haveDir) {
      const m = known('no-ca-certs', {});
      const where = file
        ? `SSL_CERT_FILE=${file} is not in the image`
        : `none of ${GO_CERT_FILES[0]} and Go's other CA paths is in the image`;
      checks.push(
        fail(
          'ca-certs',
          `${m.text} (the binary links Go's loading of the system roots, which a TLS client connection or a Verify without its own roots takes; ${where})`,
          m.fix,
        ),
      );
    } else checks.push(pass('ca-certs', 'CA certificates are where Go looks for them'));
  }
  if (n.tzdata && !n.tzdataEmbedded) {
    const zip = env.ZONEINFO;
    const have = (zip && existsIn(view, zip, 'file')) || GO_ZONE_DIRS.some((d) => existsIn(view, d, 'dir'));
    if (!have) {
      const m = known('no-zoneinfo', { zone: 'Europe/Berlin' });
      checks.push(
        fail(
          'zoneinfo',
          `${m.text} (the binary calls time.LoadLocation, does not embed time/tzdata, and the image has no ${GO_ZONE_DIRS[0]})`,
          m.fix,
        ),
      );
    } else checks.push(pass('zoneinfo', 'zoneinfo is in the image'));
  }
  if (user.uid === 0)
    checks.push(
      fail(
        'not-root',
        'runs as root (uid 0): USER is not set',
        'USER 65532:65532 (distroless nonroot), or another unprivileged user',
        'warning',
      ),
    );
  else checks.push(pass('not-root', `runs as uid ${user.uid}`, 'warning'));
  const tmp = view.tree.lookup('/tmp');
  if (!tmp.node || tmp.node.type !== 'dir')
    checks.push(
      fail(
        'tmp',
        'no /tmp: os.CreateTemp and programs writing temporary files fail with "no such file or directory"',
        'add a /tmp directory with mode 1777 (distroless has one)',
        'warning',
      ),
    );
  else if ((tmp.node.mode & 0o002) === 0 && user.uid !== 0 && tmp.node.uid !== user.uid)
    checks.push(fail('tmp', `/tmp (mode ${tmp.node.mode.toString(8)}) is not writable by uid ${user.uid}`, 'chmod 1777 /tmp', 'warning'));
  else checks.push(pass('tmp', '/tmp is present and writable', 'warning'));
  return { checks, facts, user };
}
