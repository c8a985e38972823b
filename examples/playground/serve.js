// Serves the playground: the page (for a browser asking for HTML at /), its script, and the
// client's browser build (dist/client/index.mjs, which `npm start` builds first).
'use strict';

const path = require('node:path');
const express = require('express');
const createError = require('http-errors');

const PAGE = path.join(__dirname, 'index.html');
const SCRIPT = path.join(__dirname, 'app.js');
const CLIENT = path.join(__dirname, '..', '..', 'dist', 'client', 'index.mjs');

/**
 * The playground's two files. `clientFile` is the ESM build of express-envelope/client the page
 * imports; tests pass a build of their own, so they never race with a build of dist/.
 */
function playgroundRouter({ clientFile = CLIENT } = {}) {
  const router = express.Router();
  router.get('/playground/app.js', (_req, res) => {
    res.type('text/javascript').sendFile(SCRIPT);
  });
  router.get('/playground/client.mjs', (_req, res, next) => {
    res.type('text/javascript').sendFile(clientFile, (err) => {
      if (err) next(createError(404, 'The client build is missing: run `npm run build` (npm start does it)'));
    });
  });
  return router;
}

/** Answers GET / with the page when the client prefers HTML to JSON; else hands over to the JSON index. */
function playgroundPage(req, res, next) {
  if (req.accepts(['json', 'html']) === 'html') res.sendFile(PAGE);
  else next();
}

module.exports = { playgroundRouter, playgroundPage };
