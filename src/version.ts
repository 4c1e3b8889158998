/** gokiln's own version, printed by --version and stamped into reports. Keep in step with package.json. */
export const VERSION = '0.1.0';
