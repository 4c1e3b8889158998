/** init → buildah → podman for the cgo examples: sqlite-cgo on distroless/base and Debian, png-cgo on Debian (cases in init-cases.ts). */
import { caseTests } from './init-cases.js';

caseTests('cgo', 'cgo examples (SQLite, libpng), built by buildah and run by podman');
