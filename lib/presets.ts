// The registry: every preset and alias, one line each, by the name apps pass to envelope(). The
// server takes each module's `preset` (factory and option keys) from here (lib/registry.ts), and
// scripts/readers.js writes lib/readers.ts from these lines, the same names with each module's
// `reader`, so that the client bundle takes readers without render code.

export { preset as vbapi } from './formats/vbapi';
export { preset as backendResponse } from './formats/backend-response';
export { preset as wisphub } from './formats/backend-response';
export { preset as wispanel } from './formats/wispanel';
export { preset as webServiceReturn } from './formats/web-service-return';
export { preset as statusOk } from './formats/status-ok';
export { preset as universa } from './formats/status-ok';
export { preset as jsend } from './formats/jsend';
export { preset as problem } from './formats/problem';
