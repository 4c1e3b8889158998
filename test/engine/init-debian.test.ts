/**
 * init → buildah → podman for the Debian paradigm (`--paradigm ubuntu`: debian:trixie-slim, whose RUN
 * apt-get reaches deb.debian.org) on the pure-Go examples, and vendored --offline with --network none
 * (cases in init-cases.ts).
 */
import { caseTests } from './init-cases.js';

caseTests('debian', 'pure-Go examples on debian:trixie-slim, built by buildah and run by podman');
