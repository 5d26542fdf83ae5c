#!/usr/bin/env node
// The installed bin: a committed file, so that pnpm can link it before the build. It runs the esbuild
// bundle of dist/cli.js (scripts/bundle.mjs), which starts faster than the many modules tsc emits.
import '../bundle/cli.js';
