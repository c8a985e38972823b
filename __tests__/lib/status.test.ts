// The status titles the formats print: Node's own reason phrases, without importing node:http.

import { STATUS_CODES } from 'node:http';
import { STATUS_TITLES, statusTitle } from '../../lib/status';

test('STATUS_TITLES is exactly http.STATUS_CODES', () => {
  expect({ ...STATUS_TITLES }).toEqual({ ...STATUS_CODES });
  expect(statusTitle(404)).toBe('Not Found');
  expect(statusTitle(599)).toBe('Error');
});
