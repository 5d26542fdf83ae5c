#!/usr/bin/env -S node --single-threaded-gc --max-semi-space-size=4
// The installed bin: a committed file, so that pnpm can link it before dist/ is built.
import '../dist/server-cli.js';
