/**
 * What a Go program will look for in its image, read from what the linker kept. The Go linker drops
 * unreachable functions, so a function present in pclntab is (conservatively) reachable: presence of the
 * right function is a better signal than presence of its package, which is often linked for one helper.
 */
import type { Needs } from './types.js';
import { namesFromList, type GoNameQuery } from '../formats/go/names.js';

export interface GoNeedsInput {
  /** Packages with at least one linked function (sorted or not); only read when there are no names. */
  packages?: string[];
  /** Function names from pclntab (`crypto/x509.loadSystemRoots`, `net.cgoLookupHost`, …). */
  funcNames?: Iterable<string>;
  /** The same as a query over the binary's name table (fast on large binaries); wins over funcNames. */
  names?: GoNameQuery | null;
  /** Build settings from build info (`-tags`, `CGO_ENABLED`, …). */
  settings: Record<string, string>;
  /** cgo on (from CGO_ENABLED or runtime/cgo being linked); null when unknown. */
  cgo: boolean | null;
}

export const NO_NEEDS: Needs = {
  caCerts: false,
  tzdata: false,
  tzdataEmbedded: false,
  osUser: false,
  dns: false,
  dnsResolver: null,
  pprof: false,
  expvar: false,
  plugin: false,
};

function buildTags(settings: Record<string, string>): Set<string> {
  const raw = settings['-tags'] ?? '';
  return new Set(raw.split(/[,\s]+/).filter(Boolean));
}

/** Packages whose presence alone is a need (their init registers handlers, or embeds data). */
const PACKAGES = ['time/tzdata', 'os/user', 'net/http/pprof', 'expvar', 'plugin'] as const;

export function needsFromGo(input: GoNeedsInput): Needs {
  const names = input.names ?? namesFromList(input.funcNames ?? []);
  // with no function names at all (a table that could not be read), fall back to package presence
  const known = names.count > 0;
  // Every question in one pass over the names (each absent name would otherwise cost a full scan). A
  // package is linked when one of its functions is.
  const found = names.present({
    names: ['crypto/x509.loadSystemRoots', 'crypto/x509.systemRootsPool', 'time.LoadLocation'],
    prefixes: [
      'net.(*Resolver).goLookup',
      'net.(*Resolver).lookupIPAddr',
      ...(input.cgo !== false ? ['net._C2func_getaddrinfo', 'net.cgoLookup'] : []),
      ...PACKAGES.map((p) => `${p}.`),
    ],
  });
  const has = (name: string): boolean => found.names.has(name);
  const hasPrefix = (prefix: string): boolean => found.prefixes.has(prefix);
  const listed = new Set(input.packages ?? []);
  /** One of PACKAGES linked; without names, whether the caller listed it. */
  const linked = (pkg: (typeof PACKAGES)[number]): boolean => (known ? hasPrefix(`${pkg}.`) : listed.has(pkg));
  const tags = buildTags(input.settings);

  // System roots are loaded lazily by crypto/x509 the first time a chain is verified without an explicit
  // pool; loadSystemRoots is linked only when that path is reachable (a TLS client, or Verify with nil Roots).
  // Without function names (no pclntab), fall back to the package-level signal: TLS client code linked.
  const caCerts = known
    ? has('crypto/x509.loadSystemRoots') || has('crypto/x509.systemRootsPool')
    : listed.has('crypto/x509') && (listed.has('crypto/tls') || listed.has('net/http'));

  // time.loadLocation and loadTzinfoFromDirOrZip are linked into nearly every program that formats a time
  // (the Local zone is initialised lazily through them, and a missing TZ file silently means UTC), so only
  // the exported time.LoadLocation marks a program that asks for named zones and fails without zoneinfo.
  const tzdata = has('time.LoadLocation');
  const tzdataEmbedded = linked('time/tzdata') || tags.has('timetzdata');

  const osUser = linked('os/user');

  // The pure-Go resolver is always compiled in when net is; the cgo one only with cgo and without netgo.
  // With both present the choice is made at run time from /etc/nsswitch.conf, /etc/resolv.conf and
  // GODEBUG=netdns, so 'both' is the honest answer; `-tags netcgo` forces the cgo one.
  const goResolver = hasPrefix('net.(*Resolver).goLookup') || hasPrefix('net.(*Resolver).lookupIPAddr');
  // without cgo there is no cgo resolver to find
  const cgoResolver = input.cgo !== false && (hasPrefix('net._C2func_getaddrinfo') || hasPrefix('net.cgoLookup'));
  const dns = goResolver || cgoResolver || (!known && listed.has('net'));
  let dnsResolver: Needs['dnsResolver'] = null;
  if (dns) {
    const netgo = tags.has('netgo') || input.settings['CGO_ENABLED'] === '0' || input.cgo === false;
    if (netgo || !cgoResolver) dnsResolver = 'go';
    else if (tags.has('netcgo') || !goResolver) dnsResolver = 'cgo';
    else dnsResolver = 'both';
  }

  // Importing net/http/pprof registers /debug/pprof/* on http.DefaultServeMux from its init; expvar
  // registers /debug/vars the same way. A linked package was imported, so its init ran: either is an
  // exposure risk if DefaultServeMux is served publicly.
  const pprof = linked('net/http/pprof');
  const expvar = linked('expvar');
  const plugin = linked('plugin');

  return { caCerts, tzdata, tzdataEmbedded, osUser, dns, dnsResolver, pprof, expvar, plugin };
}
