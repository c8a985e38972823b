// The two payloads every variant sends: a ~200-byte object and a ~10 kB list (bench/fixtures/).
'use strict';

const small = require('./fixtures/small.json');
const list = require('./fixtures/list.json');

const PAYLOADS = {
  small: { name: 'small', label: '200 B object', value: small },
  list: { name: 'list', label: '10 kB list', value: list },
};

module.exports = { PAYLOADS };
