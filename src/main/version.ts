// The console's version, baked in at build time from package.json (tests read the same file).
import pkg from '../../package.json';

export const APP_VERSION: string = pkg.version;
