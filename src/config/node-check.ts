import { refuseOldNode } from './node-version';

// Imported first by every entry point, so an older Node stops here, before a module it cannot load.
refuseOldNode();
