/**
 * Runs one CommonJS file (a command's bundle in dist/bin) with V8's code cache taken after the run.
 *
 * Node's own compile cache (`module.enableCompileCache`, 22.1+) serialises a module's code right after it
 * is compiled, before it runs: it holds the top-level code, while every function compiled on first call
 * (nearly all of a command) is parsed and compiled again on each start. Measured on Node 26 with V8's
 * function-event log: ~270 functions of the inspect path compiled per run, 5–10 ms of a 30 ms start-up.
 * A cache made by `vm.Script#createCachedData()` when the process exits holds every function the run
 * compiled, and vm.Script takes cached data on every line (Node 20 has no compile cache at all).
 *
 * The cache is written once per bundle, Node version and architecture (when missing or refused by V8);
 * the bundle's name carries a hash of its content, so a changed bundle never meets an old cache. Any
 * failure to read or write the cache only costs speed: the script runs the same either way.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Node's own CommonJS wrapper, on the script's first line so line numbers in stack traces stay right. */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n})';

/**
 * `<cacheDir>/<node version>-<arch>/<bundle>.cache`: V8 refuses a cache from another V8 build or other
 * flags by itself; the version in the path keeps two Node lines sharing one home from refusing (and
 * rewriting) each other's cache on every run.
 */
function cachePath(cacheDir: string, file: string): string {
  return join(cacheDir, `${process.version}-${process.arch}`, `${basename(file)}.cache`);
}

/** A day: another build's cache of the same verb, untouched that long, belongs to a build that is gone. */
const STALE_MS = 24 * 60 * 60 * 1000;

/**
 * Writes the cache beside its final name and renames it (concurrent runs each write whole files), then
 * removes the caches of this verb's other builds (`inspect-OLDHASH.cjs.cache`) written over a day ago, so
 * rebuilding never fills the directory. Not younger ones: two installed builds used in turn would each
 * delete the other's cache and write their own on every run. Errors are dropped: a cache that cannot be
 * written only costs speed.
 */
function save(path: string, script: Script): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, path);
    const name = basename(path);
    const command = name.replace(/-[A-Z0-9]+\.cjs\.cache$/, '-');
    for (const other of readdirSync(dirname(path))) {
      if (other === name || !other.startsWith(command) || !/^[a-z]+(?:-[a-z]+)*-[A-Z0-9]+\.cjs\.cache$/.test(other)) continue;
      const file = join(dirname(path), other);
      if (statSync(file).mtimeMs < Date.now() - STALE_MS) rmSync(file, { force: true });
    }
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // not even a directory to remove it from
    }
  }
}

/**
 * Runs `file` as a CommonJS module of its own (its own require, __filename and __dirname), with the code
 * cache under `cacheDir` (null: no cache is read or written).
 */
export function runCachedScript(file: string, cacheDir: string | null): void {
  // a hashbang is no JavaScript inside the wrapper: made a comment of the same length
  const text = readFileSync(file, 'utf8');
  const source = text.startsWith('#!') ? `//${text.slice(2)}` : text;
  const path = cacheDir === null ? null : cachePath(cacheDir, file);
  let cachedData: Buffer | undefined;
  if (path !== null) {
    try {
      cachedData = readFileSync(path);
    } catch {
      // none yet: this run writes it
    }
  }
  const script = new Script(WRAP_HEAD + source + WRAP_TAIL, { filename: file, cachedData });
  // after the command: the cache then holds every function this run compiled
  if (path !== null && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => save(path, script));
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}
