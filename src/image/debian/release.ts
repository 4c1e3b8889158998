/**
 * A suite's `InRelease` file: its OpenPGP cleartext signature is verified against the Debian archive
 * keys, then the signed text is read for the suite's facts and the SHA256 list that names every index
 * (`main/binary-amd64/Packages.gz`, `main/Contents-amd64.gz`) with its size. Only indexes listed there,
 * with those hashes, are ever used.
 */
import { readFile } from 'node:fs/promises';
import type * as OpenPGP from 'openpgp';

// openpgp is 800 kB of bundle that builds its cipher tables when imported: loaded on the first signature check,
// so commands that never read a Debian archive (every build but --paradigm ubuntu) do not pay for it
let loaded: Promise<typeof OpenPGP> | null = null;
const pgp = (): Promise<typeof OpenPGP> => (loaded ??= import('openpgp'));
import { GokilnError } from '../../errors.js';
import { parseStanzas } from './deb822.js';

/** Debian's archive keyring as the debian-archive-keyring package installs it (documented in docs/debian.md). */
export const DEFAULT_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export interface ReleaseFile {
  origin: string;
  suite: string;
  codename: string;
  version: string;
  date: string;
  architectures: string[];
  components: string[];
  /** `Acquire-By-Hash: yes`: indexes can be fetched as `<dir>/by-hash/SHA256/<hash>`, immune to a mirror mid-update */
  acquireByHash: boolean;
  /** path relative to `dists/<suite>/` → sha256 and size */
  sha256: Map<string, { sha256: string; size: number }>;
  /** the key ids (hex) whose signatures verified */
  signedBy: string[];
}

/** Reads an OpenPGP keyring, binary (`.gpg`) or armored (`.asc`). */
export async function readKeyring(path: string): Promise<OpenPGP.PublicKey[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new GokilnError(
      'E_NOT_FOUND',
      `keyring ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); install debian-archive-keyring or pass a keyring`,
    );
  }
  const armored = bytes.subarray(0, 64).toString('latin1').includes('-----BEGIN PGP');
  const openpgp = await pgp();
  const keys = armored ? await openpgp.readKeys({ armoredKeys: bytes.toString('utf8') }) : await openpgp.readKeys({ binaryKeys: bytes });
  return keys;
}

/**
 * Verifies an InRelease file and parses the signed text. At least one signature must verify with a key of
 * the keyring; signatures by other keys are ignored (Debian signs with the archive key and the release key).
 */
export async function verifyInRelease(text: string, keys: OpenPGP.PublicKey[], url: string): Promise<ReleaseFile> {
  let message: OpenPGP.CleartextMessage;
  const openpgp = await pgp();
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: text });
  } catch (e) {
    throw new GokilnError('E_DIGEST', `${url} is not an OpenPGP-signed InRelease file: ${(e as Error).message}`);
  }
  const result = await openpgp.verify({ message, verificationKeys: keys });
  const signedBy: string[] = [];
  const failures: string[] = [];
  for (const s of result.signatures) {
    try {
      await s.verified;
      signedBy.push(s.keyID.toHex());
    } catch (e) {
      failures.push(`${s.keyID.toHex()}: ${(e as Error).message}`);
    }
  }
  if (signedBy.length === 0) {
    throw new GokilnError('E_DIGEST', `${url}: no valid signature by a key of the archive keyring (${failures.join('; ') || 'unsigned'})`);
  }
  return { ...parseRelease(result.data as string, url), signedBy };
}

export function parseRelease(text: string, url: string): Omit<ReleaseFile, 'signedBy'> {
  const s = parseStanzas(text)[0];
  if (!s) throw new GokilnError('E_PARSE', `${url}: empty Release file`);
  const sha256 = new Map<string, { sha256: string; size: number }>();
  for (const line of (s.get('SHA256') ?? '').split('\n')) {
    const m = /^\s*([0-9a-f]{64})\s+(\d+)\s+(\S+)\s*$/.exec(line);
    if (m) sha256.set(m[3]!, { sha256: m[1]!, size: Number(m[2]) });
  }
  if (sha256.size === 0) throw new GokilnError('E_PARSE', `${url}: the Release file lists no SHA256 checksums`);
  const words = (k: string): string[] => (s.get(k) ?? '').split(/\s+/).filter(Boolean);
  return {
    origin: s.get('Origin') ?? '',
    suite: s.get('Suite') ?? '',
    codename: s.get('Codename') ?? '',
    version: s.get('Version') ?? '',
    date: s.get('Date') ?? '',
    architectures: words('Architectures'),
    components: words('Components'),
    acquireByHash: (s.get('Acquire-By-Hash') ?? '').toLowerCase() === 'yes',
    sha256,
  };
}
