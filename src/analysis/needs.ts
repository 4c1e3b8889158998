/**
 * What a Go program will look for in its image, read from what the linker kept. The Go linker drops
 * unreachable functions, so a function present in pclntab is (conservatively) reachable: presence of the
 * right function is a better signal than presence of its package, which is often linked for one helper.
 */
import type { Needs } from './types.js';
import { namesFromList, type GoNameQuery } from '../formats/go/names.js';

export interface GoNeedsInput {
  /** Packages with at least one linked function (sorted or not). */
  packages: string[];
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

export function needsFromGo(input: GoNeedsInput): Needs {
  const names = input.names ?? namesFromList(input.funcNames ?? []);
  const pkgs = new Set(input.packages.length > 0 ? input.packages : names.packages());
  // with no function names at all (a table that could not be read), fall back to package presence
  const known = names.count > 0;
  const has = (name: string): boolean => names.has(name);
  const hasPrefix = (prefix: string): boolean => names.hasPrefix(prefix);
  const tags = buildTags(input.settings);

  // System roots are loaded lazily by crypto/x509 the first time a chain is verified without an explicit
  // pool; loadSystemRoots is linked only when that path is reachable (a TLS client, or Verify with nil Roots).
  // Without function names (no pclntab), fall back to the package-level signal: TLS client code linked.
  const caCerts = known
    ? has('crypto/x509.loadSystemRoots') || has('crypto/x509.systemRootsPool')
    : pkgs.has('crypto/x509') && (pkgs.has('crypto/tls') || pkgs.has('net/http'));

  // time.loadLocation and loadTzinfoFromDirOrZip are linked into nearly every program that formats a time
  // (the Local zone is initialised lazily through them, and a missing TZ file silently means UTC), so only
  // the exported time.LoadLocation marks a program that asks for named zones and fails without zoneinfo.
  const tzdata = has('time.LoadLocation');
  const tzdataEmbedded = pkgs.has('time/tzdata') || tags.has('timetzdata');

  const osUser = pkgs.has('os/user');

  // The pure-Go resolver is always compiled in when net is; the cgo one only with cgo and without netgo.
  // With both present the choice is made at run time from /etc/nsswitch.conf, /etc/resolv.conf and
  // GODEBUG=netdns, so 'both' is the honest answer; `-tags netcgo` forces the cgo one.
  const goResolver = hasPrefix('net.(*Resolver).goLookup') || hasPrefix('net.(*Resolver).lookupIPAddr');
  // without cgo there is no cgo resolver to find (and each miss is a scan of the whole name table)
  const cgoResolver = input.cgo !== false && (hasPrefix('net._C2func_getaddrinfo') || hasPrefix('net.cgoLookup'));
  const dns = goResolver || cgoResolver || (!known && pkgs.has('net'));
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
  const pprof = pkgs.has('net/http/pprof');
  const expvar = pkgs.has('expvar');
  const plugin = pkgs.has('plugin');

  return { caCerts, tzdata, tzdataEmbedded, osUser, dns, dnsResolver, pprof, expvar, plugin };
}
