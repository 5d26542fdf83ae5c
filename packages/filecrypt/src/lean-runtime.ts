import { setFlagsFromString } from 'node:v8';

/**
 * Two settings for a long stream, made before anything else is loaded.
 *
 * No optimizing compiler. The work is native (AES-GCM, SHA-256, I/O) and the
 * JavaScript makes a few calls per 64 KiB segment, so TurboFan saves no
 * measurable CPU time (1.1 s user for 1 GiB either way), while compiling even
 * one hot function pages in its code and zones: about 6 MiB of the 64 MiB
 * resident budget. A flag set at run time works for every way of starting
 * the bin (a symlinked bin, `node dist/cli.js`, a test spawning it).
 */
setFlagsFromString('--no-turbofan');

/**
 * glibc's malloc gives memory at the top of its heap back to the kernel as
 * soon as more than M_TRIM_THRESHOLD (128 KiB by default) is free there. Each
 * segment's cipher output is a fresh 64 KiB buffer and they are freed in
 * groups at every young-generation collection, so with the defaults the heap
 * top shrank and regrew all the time: 230,000 page faults and 0.4 s of
 * system time per GiB encrypted. glibc raises both thresholds by itself
 * (mmap threshold to the size, trim threshold to twice that) the first time
 * it frees an mmapped block, so one 2 MiB buffer dropped at start (freed at
 * the first collection) sets them to 2 and 4 MiB: 4,000 faults, the same
 * peak RSS. This is documented behaviour (mallopt(3), "dynamic mmap
 * threshold"); it needs no environment variable, and other allocators
 * simply ignore it.
 */
Buffer.allocUnsafeSlow(2 * 1024 * 1024);
