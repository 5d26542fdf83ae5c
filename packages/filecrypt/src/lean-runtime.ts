import { setFlagsFromString } from 'node:v8';

/**
 * No optimizing compiler. The work is native (AES-GCM, SHA-256, I/O) and the
 * JavaScript makes a few calls per 64 KiB segment, so TurboFan saves no
 * measurable CPU time (1.1 s user for 1 GiB either way), while compiling even
 * one hot function pages in its code and zones: about 6 MiB of the 64 MiB
 * resident budget. Imported first by cli.ts, so that it is set before any
 * function gets hot; a flag set at run time works for every way of starting
 * the bin (a symlinked bin, `node dist/cli.js`, a test spawning it).
 */
setFlagsFromString('--no-turbofan');
