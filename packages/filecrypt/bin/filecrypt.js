#!/usr/bin/env node
// The installed bin: a committed file, so that pnpm can link it before dist/ is built.
import '../dist/cli.js';
