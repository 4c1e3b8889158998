/** Issue #15's build proof on node_exporter (see real-build.ts). */
import { REAL_PROJECTS } from '../gosrc/projects.js';
import { realBuildTest } from './real-build.js';

realBuildTest(
  REAL_PROJECTS.find((p) => p.name === 'node_exporter')!,
  ['--version'],
);
