/**
 * C libraries a cgo build links, keyed by the names Go source uses (`#cgo pkg-config: NAME`,
 * `#cgo LDFLAGS: -lNAME`), and the Debian/Alpine packages that provide headers at build time and the
 * shared library at run time. Plus Go modules whose packages use cgo, and what they need.
 *
 * Every row names where it was read and when. Debian names were checked on this machine with
 * `apt-cache depends <dev-package>` (bookworm) and against packages.debian.org for trixie, where the
 * 64-bit time_t transition renamed several runtime packages (`…t64`).
 */
import { IMAGES_CHECKED, KNOWLEDGE_CHECKED } from './provenance.js';

export interface CLibrary {
  /** Human name of the library. */
  name: string;
  /** Shared objects a binary linking it has in DT_NEEDED (Debian and Alpine agree on these). */
  sonames: string[];
  /**
   * What the library's own shared objects link beyond libc6's (NEEDS_PROVENANCE): the sonames a runtime
   * needs besides the library's own. Absent when the library was not installed to read (then only a
   * resolution against the suite knows).
   */
  needs?: string[];
  /** `#cgo pkg-config:` names (the .pc file stem). */
  pkgConfig: string[];
  /** `-l` names from `#cgo LDFLAGS`. */
  ldNames: string[];
  debian: { build: string[]; runtime: { bookworm: string[]; trixie: string[] } };
  alpine: { build: string[]; runtime: string[] };
  source: string;
  date: string;
}

const DEB = 'apt-cache depends on Debian 12 (bookworm); https://packages.debian.org/trixie';
const APK = 'https://pkgs.alpinelinux.org/packages?branch=v3.22';
const D = KNOWLEDGE_CHECKED;

/** Where each row's `needs` was read, and when. */
export const NEEDS_PROVENANCE = {
  source: "readelf -d /usr/lib/x86_64-linux-gnu/<soname> on Debian 12 (bookworm) amd64, DT_NEEDED minus libc6's sonames and the loader",
  checked: IMAGES_CHECKED,
} as const;

export const C_LIBRARIES: readonly CLibrary[] = [
  {
    name: 'zlib',
    sonames: ['libz.so.1'],
    needs: [],
    pkgConfig: ['zlib'],
    ldNames: ['z'],
    debian: { build: ['zlib1g-dev'], runtime: { bookworm: ['zlib1g'], trixie: ['zlib1g'] } },
    alpine: { build: ['zlib-dev'], runtime: ['zlib'] },
    source: `${DEB}/zlib1g-dev; ${APK}&name=zlib-dev`,
    date: D,
  },
  {
    name: 'libpng',
    sonames: ['libpng16.so.16'],
    needs: ['libz.so.1'],
    pkgConfig: ['libpng', 'libpng16'],
    ldNames: ['png', 'png16'],
    debian: { build: ['libpng-dev'], runtime: { bookworm: ['libpng16-16'], trixie: ['libpng16-16t64'] } },
    alpine: { build: ['libpng-dev'], runtime: ['libpng'] },
    source: `${DEB}/libpng-dev; ${APK}&name=libpng-dev`,
    date: D,
  },
  {
    name: 'SQLite',
    sonames: ['libsqlite3.so.0'],
    needs: [],
    pkgConfig: ['sqlite3'],
    ldNames: ['sqlite3'],
    debian: { build: ['libsqlite3-dev'], runtime: { bookworm: ['libsqlite3-0'], trixie: ['libsqlite3-0'] } },
    alpine: { build: ['sqlite-dev'], runtime: ['sqlite-libs'] },
    source: `${DEB}/libsqlite3-dev; ${APK}&name=sqlite-dev`,
    date: D,
  },
  {
    name: 'OpenSSL',
    sonames: ['libssl.so.3', 'libcrypto.so.3'],
    needs: [],
    pkgConfig: ['openssl', 'libssl', 'libcrypto'],
    ldNames: ['ssl', 'crypto'],
    debian: { build: ['libssl-dev'], runtime: { bookworm: ['libssl3'], trixie: ['libssl3t64'] } },
    alpine: { build: ['openssl-dev'], runtime: ['libssl3', 'libcrypto3'] },
    source: `${DEB}/libssl-dev; ${APK}&name=openssl-dev`,
    date: D,
  },
  {
    name: 'libcurl',
    sonames: ['libcurl.so.4'],
    needs: [
      'libnghttp2.so.14',
      'libidn2.so.0',
      'librtmp.so.1',
      'libssh2.so.1',
      'libpsl.so.5',
      'libssl.so.3',
      'libcrypto.so.3',
      'libgssapi_krb5.so.2',
      'libldap-2.5.so.0',
      'liblber-2.5.so.0',
      'libzstd.so.1',
      'libbrotlidec.so.1',
      'libz.so.1',
    ],
    pkgConfig: ['libcurl'],
    ldNames: ['curl'],
    debian: { build: ['libcurl4-openssl-dev'], runtime: { bookworm: ['libcurl4'], trixie: ['libcurl4t64'] } },
    alpine: { build: ['curl-dev'], runtime: ['libcurl'] },
    source: `${DEB}/libcurl4-openssl-dev; ${APK}&name=curl-dev`,
    date: D,
  },
  {
    name: 'libxml2',
    sonames: ['libxml2.so.2'],
    needs: ['libicuuc.so.72', 'libz.so.1', 'liblzma.so.5'],
    pkgConfig: ['libxml-2.0'],
    ldNames: ['xml2'],
    debian: { build: ['libxml2-dev'], runtime: { bookworm: ['libxml2'], trixie: ['libxml2'] } },
    alpine: { build: ['libxml2-dev'], runtime: ['libxml2'] },
    source: `${DEB}/libxml2-dev; ${APK}&name=libxml2-dev`,
    date: D,
  },
  {
    name: 'libyaml',
    sonames: ['libyaml-0.so.2'],
    needs: [],
    pkgConfig: ['yaml-0.1'],
    ldNames: ['yaml'],
    debian: { build: ['libyaml-dev'], runtime: { bookworm: ['libyaml-0-2'], trixie: ['libyaml-0-2'] } },
    alpine: { build: ['yaml-dev'], runtime: ['yaml'] },
    source: `${DEB}/libyaml-dev; ${APK}&name=yaml-dev`,
    date: D,
  },
  {
    name: 'libjpeg-turbo',
    sonames: ['libjpeg.so.62'],
    needs: [],
    pkgConfig: ['libjpeg', 'libturbojpeg'],
    ldNames: ['jpeg', 'turbojpeg'],
    debian: { build: ['libjpeg62-turbo-dev'], runtime: { bookworm: ['libjpeg62-turbo'], trixie: ['libjpeg62-turbo'] } },
    alpine: { build: ['libjpeg-turbo-dev'], runtime: ['libjpeg-turbo'] },
    source: `${DEB}/libjpeg62-turbo-dev; ${APK}&name=libjpeg-turbo-dev`,
    date: D,
  },
  {
    name: 'libwebp',
    sonames: ['libwebp.so.7'],
    needs: [],
    pkgConfig: ['libwebp'],
    ldNames: ['webp'],
    debian: { build: ['libwebp-dev'], runtime: { bookworm: ['libwebp7'], trixie: ['libwebp7'] } },
    alpine: { build: ['libwebp-dev'], runtime: ['libwebp'] },
    source: `${DEB}/libwebp-dev; ${APK}&name=libwebp-dev`,
    date: D,
  },
  {
    name: 'zstd',
    sonames: ['libzstd.so.1'],
    needs: [],
    pkgConfig: ['libzstd'],
    ldNames: ['zstd'],
    debian: { build: ['libzstd-dev'], runtime: { bookworm: ['libzstd1'], trixie: ['libzstd1'] } },
    alpine: { build: ['zstd-dev'], runtime: ['zstd-libs'] },
    source: `${DEB}/libzstd-dev; ${APK}&name=zstd-dev`,
    date: D,
  },
  {
    name: 'LZ4',
    sonames: ['liblz4.so.1'],
    needs: [],
    pkgConfig: ['liblz4'],
    ldNames: ['lz4'],
    debian: { build: ['liblz4-dev'], runtime: { bookworm: ['liblz4-1'], trixie: ['liblz4-1'] } },
    alpine: { build: ['lz4-dev'], runtime: ['lz4-libs'] },
    source: `${DEB}/liblz4-dev; ${APK}&name=lz4-dev`,
    date: D,
  },
  {
    name: 'libffi',
    sonames: ['libffi.so.8'],
    needs: [],
    pkgConfig: ['libffi'],
    ldNames: ['ffi'],
    debian: { build: ['libffi-dev'], runtime: { bookworm: ['libffi8'], trixie: ['libffi8'] } },
    alpine: { build: ['libffi-dev'], runtime: ['libffi'] },
    source: `${DEB}/libffi-dev; ${APK}&name=libffi-dev`,
    date: D,
  },
  {
    name: 'libpcap',
    sonames: ['libpcap.so.0.8'],
    pkgConfig: ['libpcap'],
    ldNames: ['pcap'],
    debian: { build: ['libpcap-dev'], runtime: { bookworm: ['libpcap0.8'], trixie: ['libpcap0.8t64'] } },
    alpine: { build: ['libpcap-dev'], runtime: ['libpcap'] },
    source: `${DEB}/libpcap-dev; ${APK}&name=libpcap-dev`,
    date: D,
  },
  {
    name: 'GPGME',
    sonames: ['libgpgme.so.11'],
    needs: ['libassuan.so.0', 'libgpg-error.so.0'],
    pkgConfig: ['gpgme'],
    ldNames: ['gpgme'],
    debian: { build: ['libgpgme-dev'], runtime: { bookworm: ['libgpgme11'], trixie: ['libgpgme11t64'] } },
    alpine: { build: ['gpgme-dev'], runtime: ['gpgme'] },
    source: `${DEB}/libgpgme-dev; ${APK}&name=gpgme-dev`,
    date: D,
  },
  {
    name: 'libusb',
    sonames: ['libusb-1.0.so.0'],
    pkgConfig: ['libusb-1.0'],
    ldNames: ['usb-1.0'],
    debian: { build: ['libusb-1.0-0-dev'], runtime: { bookworm: ['libusb-1.0-0'], trixie: ['libusb-1.0-0'] } },
    alpine: { build: ['libusb-dev'], runtime: ['libusb'] },
    source: `${DEB}/libusb-1.0-0-dev; ${APK}&name=libusb-dev`,
    date: D,
  },
  {
    name: 'libseccomp',
    sonames: ['libseccomp.so.2'],
    needs: [],
    pkgConfig: ['libseccomp'],
    ldNames: ['seccomp'],
    debian: { build: ['libseccomp-dev'], runtime: { bookworm: ['libseccomp2'], trixie: ['libseccomp2'] } },
    alpine: { build: ['libseccomp-dev'], runtime: ['libseccomp'] },
    source: `${DEB}/libseccomp-dev; ${APK}&name=libseccomp-dev`,
    date: D,
  },
  {
    name: 'libsystemd',
    sonames: ['libsystemd.so.0'],
    needs: ['libcap.so.2', 'libgcrypt.so.20', 'liblzma.so.5', 'libzstd.so.1', 'liblz4.so.1'],
    pkgConfig: ['libsystemd'],
    ldNames: ['systemd'],
    debian: { build: ['libsystemd-dev'], runtime: { bookworm: ['libsystemd0'], trixie: ['libsystemd0'] } },
    alpine: { build: [], runtime: [] },
    source: `${DEB}/libsystemd-dev; Alpine does not ship systemd`,
    date: D,
  },
  {
    name: 'librdkafka',
    sonames: ['librdkafka.so.1'],
    pkgConfig: ['rdkafka'],
    ldNames: ['rdkafka'],
    debian: { build: ['librdkafka-dev'], runtime: { bookworm: ['librdkafka1'], trixie: ['librdkafka1'] } },
    alpine: { build: ['librdkafka-dev'], runtime: ['librdkafka'] },
    source: `${DEB}/librdkafka-dev; ${APK}&name=librdkafka-dev`,
    date: D,
  },
  {
    name: 'libpq (PostgreSQL client)',
    sonames: ['libpq.so.5'],
    needs: ['libssl.so.3', 'libcrypto.so.3', 'libgssapi_krb5.so.2', 'libldap-2.5.so.0'],
    pkgConfig: ['libpq'],
    ldNames: ['pq'],
    debian: { build: ['libpq-dev'], runtime: { bookworm: ['libpq5'], trixie: ['libpq5'] } },
    alpine: { build: ['libpq-dev'], runtime: ['libpq'] },
    source: `${DEB}/libpq-dev; ${APK}&name=libpq-dev`,
    date: D,
  },
  {
    name: 'libsodium',
    sonames: ['libsodium.so.23'],
    needs: [],
    pkgConfig: ['libsodium'],
    ldNames: ['sodium'],
    debian: { build: ['libsodium-dev'], runtime: { bookworm: ['libsodium23'], trixie: ['libsodium23'] } },
    alpine: { build: ['libsodium-dev'], runtime: ['libsodium'] },
    source: `${DEB}/libsodium-dev; ${APK}&name=libsodium-dev`,
    date: D,
  },
  {
    name: 'libmagic',
    sonames: ['libmagic.so.1'],
    needs: ['liblzma.so.5', 'libbz2.so.1.0', 'libz.so.1'],
    pkgConfig: ['libmagic'],
    ldNames: ['magic'],
    debian: { build: ['libmagic-dev'], runtime: { bookworm: ['libmagic1'], trixie: ['libmagic1t64'] } },
    alpine: { build: ['file-dev'], runtime: ['libmagic'] },
    source: `${DEB}/libmagic-dev; ${APK}&name=file-dev`,
    date: D,
  },
];

/** `-l` names the C library itself provides (glibc, musl): no package beyond the C toolchain. */
export const LIBC_LD_NAMES: readonly string[] = ['c', 'm', 'dl', 'pthread', 'rt', 'resolv', 'util'];

export interface CgoModule {
  /** Module path prefix (`github.com/mattn/go-sqlite3`). */
  module: string;
  /** What the module links: `bundled` C sources compiled in (only a C toolchain and libc headers), or system libraries by C_LIBRARIES name. */
  links: { bundled: boolean; libraries: string[] };
  /** What happens with CGO_ENABLED=0. */
  withoutCgo: string;
  /**
   * When the module still builds without cgo, as a stub whose every call returns this error: the exact
   * text (the program starts, then cannot do its job in any image; inspect's reason `cgo-stub`).
   */
  stubError?: string;
  /** Pure-Go replacements, when there are any. */
  alternatives: string[];
  source: string;
  date: string;
}

export const CGO_MODULES: readonly CgoModule[] = [
  {
    module: 'github.com/mattn/go-sqlite3',
    links: { bundled: true, libraries: [] },
    withoutCgo:
      'builds, then fails at run time: "Binary was compiled with \'CGO_ENABLED=0\', go-sqlite3 requires cgo to work. This is a stub"',
    stubError: "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub",
    alternatives: ['modernc.org/sqlite', 'github.com/ncruces/go-sqlite3'],
    source:
      'https://github.com/mattn/go-sqlite3 README (sqlite3-binding.c amalgamation; tag libsqlite3 links the system library instead); stubError: static_mock.go (`//go:build !cgo`) errorMsg, v1.14.53',
    date: D,
  },
  {
    module: 'github.com/google/gopacket',
    links: { bundled: false, libraries: ['libpcap'] },
    withoutCgo: 'the pcap package does not build',
    alternatives: ['github.com/google/gopacket/pcapgo (pure Go, Linux only)'],
    source: 'https://github.com/google/gopacket/blob/master/pcap/pcap_unix.go (#cgo linux LDFLAGS: -lpcap)',
    date: D,
  },
  {
    module: 'github.com/confluentinc/confluent-kafka-go',
    links: { bundled: true, libraries: [] },
    withoutCgo: 'the kafka package does not build',
    alternatives: ['github.com/twmb/franz-go', 'github.com/segmentio/kafka-go'],
    source:
      'https://github.com/confluentinc/confluent-kafka-go README (prebuilt librdkafka bundled for glibc and musl; `-tags musl` on Alpine; `-tags dynamic` links the system librdkafka)',
    date: D,
  },
  {
    module: 'github.com/seccomp/libseccomp-golang',
    links: { bundled: false, libraries: ['libseccomp'] },
    withoutCgo: 'does not build',
    alternatives: [],
    source: 'https://github.com/seccomp/libseccomp-golang (#cgo pkg-config: libseccomp)',
    date: D,
  },
  {
    module: 'github.com/libgit2/git2go',
    links: { bundled: false, libraries: [] },
    withoutCgo: 'does not build',
    alternatives: ['github.com/go-git/go-git'],
    source: 'https://github.com/libgit2/git2go README (#cgo pkg-config: libgit2; the libgit2 soname follows its release)',
    date: D,
  },
];

export function libraryByPkgConfig(name: string): CLibrary | undefined {
  return C_LIBRARIES.find((l) => l.pkgConfig.includes(name));
}
export function libraryByLdName(name: string): CLibrary | undefined {
  return C_LIBRARIES.find((l) => l.ldNames.includes(name));
}
export function libraryByName(name: string): CLibrary | undefined {
  return C_LIBRARIES.find((l) => l.name === name);
}
/** The cgo module a package or module path belongs to. */
export function cgoModuleFor(path: string): CgoModule | undefined {
  return CGO_MODULES.find((m) => path === m.module || path.startsWith(m.module + '/'));
}
