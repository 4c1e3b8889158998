/**
 * Registry mirrors and redirections the way podman, buildah, skopeo and CRI-O read them: containers'
 * registries.conf (version 2, TOML; docs/knowledge.md "registries.conf" has the sources). gokiln reads it for
 * the reads it makes by tag (`init --pin-digests`), so a machine that reaches Docker Hub or gcr.io only
 * through a mirror resolves there the same names its engine does.
 *
 * Files, as containers/image chooses them: `$CONTAINERS_REGISTRIES_CONF` when set (it must exist), else
 * `~/.config/containers/registries.conf` when it exists (then only the drop-ins beside it), else
 * `/etc/containers/registries.conf` (may be missing); then the drop-ins, `*.conf` of
 * `/etc/containers/registries.conf.d` and `~/.config/containers/registries.conf.d` in name order, each
 * replacing a `[[registry]]` of the same prefix. Only what resolving a fully qualified name needs is read:
 * prefix, location, insecure, blocked, mirror-by-digest-only, mirrors (location, insecure, pull-from-mirror);
 * short-name aliases and search registries do not apply (gokiln names images as Docker does).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { GokilnError } from '../../errors.js';

export type PullFromMirror = 'all' | 'digest-only' | 'tag-only';

export interface MirrorEndpoint {
  location: string;
  insecure: boolean;
  pullFromMirror: PullFromMirror;
}

export interface RegistryEntry {
  /** the namespace it applies to: `docker.io`, `docker.io/library/golang`, `*.example.com` */
  prefix: string;
  /** where that namespace really is; empty only for a wildcard prefix (no rewrite) */
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: MirrorEndpoint[];
  /** the file it came from, for messages */
  file: string;
}

export interface RegistriesConf {
  registries: RegistryEntry[];
  /** every file read, in order */
  files: string[];
}

export interface RegistriesConfOptions {
  env?: NodeJS.ProcessEnv;
  /** the home directory (default: $HOME, else the OS's) */
  home?: string;
  /** where the system files live (default `/etc/containers`), so tests need not touch /etc */
  systemDir?: string;
}

/** The main file and the drop-in directories, in the order containers/image reads them. */
export function registriesConfPaths(opts: RegistriesConfOptions = {}): { main: string; mainRequired: boolean; dropInDirs: string[] } {
  const env = opts.env ?? process.env;
  const home = opts.home ?? env.HOME ?? homedir();
  const system = opts.systemDir ?? '/etc/containers';
  const userFile = join(home, '.config/containers/registries.conf');
  const userDir = join(home, '.config/containers/registries.conf.d');
  const systemDirs = [join(system, 'registries.conf.d'), userDir];
  if (env.CONTAINERS_REGISTRIES_CONF) return { main: env.CONTAINERS_REGISTRIES_CONF, mainRequired: true, dropInDirs: systemDirs };
  if (existsSync(userFile)) return { main: userFile, mainRequired: false, dropInDirs: [userDir] };
  return { main: join(system, 'registries.conf'), mainRequired: false, dropInDirs: systemDirs };
}

/** Reads and merges the registries.conf files; E_PARSE (with the file) for what podman would refuse too. */
export function loadRegistriesConf(opts: RegistriesConfOptions = {}): RegistriesConf {
  const { main, mainRequired, dropInDirs } = registriesConfPaths(opts);
  const files: string[] = [];
  let registries: RegistryEntry[] = [];
  if (existsSync(main) || mainRequired) {
    registries = parseRegistriesConf(readText(main), main, false);
    files.push(main);
  }
  for (const dir of dropInDirs) {
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((n) => n.endsWith('.conf'))
        .sort();
    } catch {
      continue; // most machines have no drop-in directory
    }
    for (const n of names) {
      const file = join(dir, n);
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
      const dropIn = parseRegistriesConf(readText(file), file, true);
      files.push(file);
      // a drop-in's [[registry]] replaces the one with the same prefix, whole
      registries = [...registries.filter((r) => !dropIn.some((d) => d.prefix === r.prefix)), ...dropIn];
    }
  }
  return { registries, files };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GokilnError(
      code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO',
      `${file}: cannot read the registries configuration: ${(e as Error).message}`,
      { file },
    );
  }
}

type Toml = Record<string, unknown>;

/**
 * One file's registries. Version 1 (`[registries.insecure]`/`[registries.block]` lists of hosts) becomes the
 * equivalent entries; a file mixing both versions, and a drop-in in version 1, are refused as podman does.
 */
export function parseRegistriesConf(text: string, file: string, dropIn: boolean): RegistryEntry[] {
  let doc: Toml;
  try {
    doc = parseToml(text) as Toml;
  } catch (e) {
    throw new GokilnError('E_PARSE', `${file}: not valid TOML: ${(e as Error).message.split('\n')[0]}`, { file });
  }
  const bad = (why: string) => new GokilnError('E_PARSE', `${file}: ${why}`, { file });
  const v1 = isTable(doc.registries) ? doc.registries : null;
  const v1Lists = v1
    ? (['search', 'insecure', 'block'] as const).filter(
        (k) => isTable(v1[k]) && Array.isArray(v1[k].registries) && v1[k].registries.length > 0,
      )
    : [];
  const v2 = Array.isArray(doc.registry) ? doc.registry : doc.registry === undefined ? [] : null;
  if (v2 === null) throw bad('`registry` must be an array of tables ([[registry]])');
  if (v1Lists.length) {
    if (dropIn) throw bad('a drop-in file must use the version 2 format ([[registry]]), not [registries.*] lists');
    if (v2.length || doc['unqualified-search-registries'] !== undefined)
      throw bad('mixes the version 1 ([registries.*]) and version 2 formats, which podman refuses too');
    const hosts = (k: 'insecure' | 'block') =>
      (((v1![k] as Toml | undefined)?.registries as unknown[] | undefined) ?? []).map((h) => location(String(h), file));
    const out = new Map<string, RegistryEntry>();
    const entry = (h: string) =>
      out.get(h) ??
      out.set(h, { prefix: h, location: h, insecure: false, blocked: false, mirrorByDigestOnly: false, mirrors: [], file }).get(h)!;
    for (const h of hosts('block')) entry(h).blocked = true;
    for (const h of hosts('insecure')) entry(h).insecure = true;
    return [...out.values()];
  }
  return v2.map((raw, i) => {
    if (!isTable(raw)) throw bad(`[[registry]] #${i + 1} is not a table`);
    const loc = raw.location === undefined ? '' : location(str(raw.location, 'location', file), file, true);
    let prefix = raw.prefix === undefined ? '' : location(str(raw.prefix, 'prefix', file), file, true);
    if (!prefix) {
      if (!loc) throw bad(`[[registry]] #${i + 1} has neither a prefix nor a location`);
      prefix = loc;
    }
    if (prefix.startsWith('*.') && /[/:@]/.test(prefix)) throw bad(`prefix ${prefix}: a wildcard prefix names hosts only (*.example.com)`);
    if (!loc && !prefix.startsWith('*.')) throw bad(`[[registry]] ${prefix} has no location (only a *.host prefix may leave it empty)`);
    if (raw['pull-from-mirror'] !== undefined) throw bad(`[[registry]] ${prefix}: pull-from-mirror belongs in a [[registry.mirror]]`);
    const mirrorByDigestOnly = bool(raw['mirror-by-digest-only'], 'mirror-by-digest-only', file);
    const mirrorList = raw.mirror === undefined ? [] : Array.isArray(raw.mirror) ? raw.mirror : null;
    if (!mirrorList) throw bad(`[[registry]] ${prefix}: mirror must be an array of tables ([[registry.mirror]])`);
    const mirrors = mirrorList.map((m): MirrorEndpoint => {
      if (!isTable(m) || m.location === undefined) throw bad(`[[registry]] ${prefix}: a mirror without a location`);
      const pull =
        m['pull-from-mirror'] === undefined || m['pull-from-mirror'] === '' ? 'all' : str(m['pull-from-mirror'], 'pull-from-mirror', file);
      if (!['all', 'digest-only', 'tag-only'].includes(pull))
        throw bad(`mirror ${String(m.location)}: pull-from-mirror must be all, digest-only or tag-only, not ${pull}`);
      if (mirrorByDigestOnly && m['pull-from-mirror'] !== undefined)
        throw bad(`[[registry]] ${prefix}: mirror-by-digest-only and a mirror's pull-from-mirror cannot both be set`);
      return {
        location: location(str(m.location, 'location', file), file),
        insecure: bool(m.insecure, 'insecure', file),
        pullFromMirror: pull as PullFromMirror,
      };
    });
    return {
      prefix,
      location: loc,
      insecure: bool(raw.insecure, 'insecure', file),
      blocked: bool(raw.blocked, 'blocked', file),
      mirrorByDigestOnly,
      mirrors,
      file,
    };
  });
}

function isTable(x: unknown): x is Toml {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function str(x: unknown, key: string, file: string): string {
  if (typeof x !== 'string') throw new GokilnError('E_PARSE', `${file}: ${key} must be a string`, { file });
  return x;
}

function bool(x: unknown, key: string, file: string): boolean {
  if (x === undefined) return false;
  if (typeof x !== 'boolean') throw new GokilnError('E_PARSE', `${file}: ${key} must be true or false`, { file });
  return x;
}

/** A location or prefix without trailing slashes; a URL scheme is refused (registries.conf names hosts, not URLs). */
function location(x: string, file: string, mayBeEmpty = false): string {
  const t = x.replace(/\/+$/, '');
  if (!t && !mayBeEmpty) throw new GokilnError('E_PARSE', `${file}: a location cannot be empty`, { file });
  if (/^https?:\/\//.test(t))
    throw new GokilnError(
      'E_PARSE',
      `${file}: location ${x}: write host[:port][/path], without http:// or https:// (set insecure = true for plain HTTP)`,
      { file },
    );
  return t;
}

/**
 * How much of `ref` (a fully qualified name, `docker.io/library/golang[:tag]`) the prefix covers, or -1: the
 * prefix must end where the name has a separator (`/`, `:`, `@`) or ends; `*.example.com` covers any
 * subdomain of example.com in the host part.
 */
export function prefixMatch(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const suffix = prefix.slice(1);
    const i = ref.indexOf(suffix);
    if (i < 0 || ref.slice(0, i).includes('/')) return -1;
    const end = i + suffix.length;
    return end === ref.length || ':/@'.includes(ref[end]!) ? end : -1;
  }
  if (ref === prefix) return prefix.length;
  return ref.startsWith(prefix) && ':/@'.includes(ref[prefix.length] ?? '.') ? prefix.length : -1;
}

/** The entry with the longest prefix covering `name` (the first of equal length), or null. */
export function findRegistry(conf: RegistriesConf, name: string): RegistryEntry | null {
  let best: RegistryEntry | null = null;
  for (const r of conf.registries) if (prefixMatch(name, r.prefix) >= 0 && r.prefix.length > (best?.prefix.length ?? 0)) best = r;
  return best;
}

export interface PullSource {
  /** the reference to ask for, rewritten to the endpoint's location */
  ref: string;
  insecure: boolean;
  mirror: boolean;
}

/**
 * Where to look for `ref` (fully qualified, with its tag or digest), in order: the mirrors that serve this
 * kind of reference (a digest-only mirror is never asked for a tag), then the primary location.
 */
export function pullSources(conf: RegistriesConf, ref: string): PullSource[] {
  const name = ref.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  const entry = findRegistry(conf, name);
  if (!entry) return [{ ref, insecure: false, mirror: false }];
  const digested = ref.includes('@');
  const mirrors = entry.mirrors.filter((m) =>
    entry.mirrorByDigestOnly ? digested : m.pullFromMirror === 'all' || (m.pullFromMirror === 'digest-only') === digested,
  );
  const at = prefixMatch(ref, entry.prefix);
  const rewrite = (loc: string) => (loc ? loc + ref.slice(at) : ref);
  return [
    ...mirrors.map((m) => ({ ref: rewrite(m.location), insecure: m.insecure, mirror: true })),
    { ref: rewrite(entry.location), insecure: entry.insecure, mirror: false },
  ];
}
