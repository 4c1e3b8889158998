/**
 * Where programs look for things inside an image, as data with sources: Go's CA and zoneinfo search lists,
 * the dynamic loaders' default library directories, and the start-up messages of runc for a missing
 * program or shell. `gokiln verify` checks an image's tree against these.
 */
import { SRC, IMAGES_CHECKED } from './provenance.js';

/** Go crypto/x509 root_linux.go: the first of these files that exists is the bundle; then the directories. */
export const GO_CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
export const GO_CERT_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];
export const GO_CERT_SOURCE =
  'Go src/crypto/x509/root_linux.go (certFiles, certDirectories) and root_unix.go (SSL_CERT_FILE, SSL_CERT_DIR), go1.26; checked 2026-12-07';

/** Go time/zoneinfo_unix.go platformZoneSources; `ZONEINFO` names a zip that is read first. */
export const GO_ZONE_DIRS = ['/usr/share/zoneinfo', '/usr/share/lib/zoneinfo', '/usr/lib/locale/TZ', '/etc/zoneinfo'];
export const GO_ZONE_SOURCE =
  'Go src/time/zoneinfo_unix.go (platformZoneSources) and zoneinfo_read.go (ZONEINFO), go1.26; checked 2026-12-07';

/**
 * Library directories the loaders search when nothing else names one: glibc's system directories as Debian
 * configures them (multiarch first; ld.so.cache, built from ld.so.conf, is read before them) and musl's
 * fallback when /etc/ld-musl-ARCH.path is absent.
 */
export function glibcDefaultDirs(triplet: string | undefined, bits: 32 | 64): string[] {
  const multi = triplet ? [`/lib/${triplet}`, `/usr/lib/${triplet}`] : [];
  return [...multi, ...(bits === 64 ? ['/lib64', '/usr/lib64'] : []), '/lib', '/usr/lib'];
}
export const MUSL_DEFAULT_DIRS = ['/lib', '/usr/local/lib', '/usr/lib'];
export const LOADER_DIRS_SOURCE = `glibc elf/dl-load.c (_dl_init_paths, system_dirs) with Debian's multiarch slibdir; musl ldso/dynlink.c (sys_path, "/lib:/usr/local/lib:/usr/lib"); ${SRC.glibcRtld}`;

export interface StartMessage {
  id: string;
  text: string;
  fix: string;
  source: string;
  checked: string;
}

/** What the runtime prints when it cannot start the entrypoint at all (before the program's own loader). */
export const START_MESSAGES: StartMessage[] = [
  {
    id: 'no-binary',
    text: 'exec: "{path}": stat {path}: no such file or directory',
    fix: 'COPY the binary to that path, or point ENTRYPOINT at where it is',
    source:
      'runc libcontainer/standard_init_linux.go (exec.LookPath of the process args[0]); podman/docker prefix it with the runtime name',
    checked: IMAGES_CHECKED,
  },
  {
    id: 'not-in-path',
    text: 'exec: "{path}": executable file not found in $PATH',
    fix: "use an absolute path in ENTRYPOINT, or set PATH to include the binary's directory",
    source: 'runc libcontainer/standard_init_linux.go (exec.LookPath)',
    checked: IMAGES_CHECKED,
  },
  {
    id: 'no-shell',
    text: 'exec: "/bin/sh": stat /bin/sh: no such file or directory',
    fix: 'write ENTRYPOINT/CMD in exec form (["/app", "arg"]): shell form needs /bin/sh, which scratch and distroless do not have',
    source: 'Docker builder (shell form becomes ["/bin/sh","-c",…]); runc exec.LookPath',
    checked: IMAGES_CHECKED,
  },
  {
    id: 'no-command',
    text: 'no command specified',
    fix: 'set ENTRYPOINT or CMD in the image, or pass --binary',
    source: 'Docker daemon "No command specified"; podman "no command or entrypoint provided, and no CMD or ENTRYPOINT from image"',
    checked: IMAGES_CHECKED,
  },
  {
    id: 'not-regular',
    text: 'exec {path}: permission denied',
    fix: "the entrypoint must be a regular file with an execute bit for the image's user (chmod 0755)",
    source: `${SRC.runc}: execve(2) EACCES for a directory or a file without x permission`,
    checked: IMAGES_CHECKED,
  },
];

export function startMessage(id: string): StartMessage {
  const m = START_MESSAGES.find((x) => x.id === id);
  if (!m) throw new Error(`no start message ${id}`);
  return m;
}
