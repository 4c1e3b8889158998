/** Issue #15's build proof on cfssl (see real-build.ts). */
import { REAL_PROJECTS } from '../gosrc/projects.js';
import { realBuildTest } from './real-build.js';

realBuildTest(
  REAL_PROJECTS.find((p) => p.name === 'cfssl')!,
  ['version'],
);
