// Every preset's reader by the preset's name (and alias), one line each, WisPanel's by variant:
// what express-envelope/client decodes by name, and what its core entry exports one by one.

import { backendResponseReader } from './formats/backend-response';
import { jsendReader } from './formats/jsend';
import { problemReader } from './formats/problem';
import { type ReadingFormat, variants } from './formats/read';
import { statusOkReader } from './formats/status-ok';
import { vbapiReader } from './formats/vbapi';
import { webServiceReturnReader } from './formats/web-service-return';
import { wispanelReaders } from './formats/wispanel';

export const vbapi: ReadingFormat = { name: 'vbapi', read: vbapiReader };
export const backendResponse: ReadingFormat = { name: 'backendResponse', read: backendResponseReader };
export const wisphub: ReadingFormat = { name: 'wisphub', read: backendResponseReader };
export const wispanel = /* @__PURE__ */ variants('wispanel', wispanelReaders);
export const webServiceReturn: ReadingFormat = { name: 'webServiceReturn', read: webServiceReturnReader };
export const statusOk: ReadingFormat = { name: 'statusOk', read: statusOkReader };
export const universa: ReadingFormat = { name: 'universa', read: statusOkReader };
export const jsend: ReadingFormat = { name: 'jsend', read: jsendReader };
export const problem: ReadingFormat = { name: 'problem', read: problemReader };
