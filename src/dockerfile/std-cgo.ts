/** Moved to the Go-source model; re-exported for the lint rules' tests. */
export { STD_CGO, PURE_GO_TAG, type CgoRoot } from '../gosrc/std-cgo.js';
