import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DecSettings } from '../config.js';
import { ContentKind } from '../format/constants.js';
import type { Metadata } from '../format/metadata.js';
import { decryptPayload } from '../engine/decrypt.js';
import { readHeader, unlockHeader, type ParsedHeader } from '../engine/header.js';
import { decryptOpenssl, isOpensslHeader } from '../engine/openssl.js';
import { notOpenssl, opensslNeedsFlag, usage } from '../errors.js';
import { withInput, type Input } from '../io/input.js';
import { AtomicDirectory, AtomicFile, type CreateOptions } from '../io/output.js';
import { withProgress } from '../io/progress.js';
import { ByteReader } from '../io/reader.js';
import type { Sink } from '../io/sink.js';
import { extractTo } from '../io/tar.js';
import type { CommandContext } from './context.js';
import { loadIdentities } from './keys.js';
import { checkOutputPath, stdoutSink } from './output.js';
import { resolvePassphrase } from './passphrase.js';

export interface DecResult {
  format: 'native' | 'openssl';
  output: string | undefined;
  metadata?: Metadata;
}

export async function decCommand(
  input: string | undefined,
  settings: DecSettings,
  context: CommandContext,
): Promise<DecResult> {
  return withInput(input, context.stdin, (source) => decryptInput(source, input, settings, context));
}

async function decryptInput(
  source: Input,
  input: string | undefined,
  settings: DecSettings,
  context: CommandContext,
): Promise<DecResult> {
  if (source.kind === 'directory') throw usage(`${source.label} is a directory, not an encrypted file`);
  if (!settings.restoreName) checkOutputPath(settings.output, input, settings.force);
  const { chunks, done } = withProgress(source.chunks, source.size, {
    quiet: settings.quiet,
    stderrIsTTY: context.stderrIsTTY,
    write: context.progressWrite,
  });
  const reader = new ByteReader(chunks);
  try {
    await reader.fill(8);
    const salted = isOpensslHeader(reader.peek(Math.min(8, reader.buffered)));
    if (settings.format === 'openssl') {
      if (!salted) throw notOpenssl();
      return await decryptOpensslFile(reader, settings, context);
    }
    if (salted) throw opensslNeedsFlag();
    const parsed = await readHeader(reader);
    const keys = await unlockHeader(
      parsed,
      {
        passphrase: () => resolvePassphrase(settings, context, false),
        identities: await loadIdentities(settings.key),
      },
      context.limits ?? settings.kdfLimits,
    );
    return await decryptNative(reader, parsed, keys, settings, context);
  } finally {
    done();
  }
}

type Keys = Awaited<ReturnType<typeof unlockHeader>>;

/**
 * Native payload to stdout, to a file, or (a directory archive) extracted to
 * a directory; the last two appear, under the stored name with
 * --restore-name, only once everything has verified.
 */
async function decryptNative(
  reader: ByteReader,
  parsed: ParsedHeader,
  keys: Keys,
  settings: DecSettings,
  context: CommandContext,
): Promise<DecResult> {
  const tar = parsed.header.kind === ContentKind.Tar;
  if (!settings.restoreName && (settings.output === undefined || settings.output === '-')) {
    const sink = stdoutSink(context, tar ? 'a directory archive' : 'plaintext');
    return { format: 'native', output: undefined, metadata: await decryptPayload(reader, parsed.header, keys, sink) };
  }
  const { target, finalPath } = restorePlan(settings);
  const create = { force: settings.force, warn: context.warn };
  const output = tar
    ? await directoryOutput(target, create, settings.preservePermissions)
    : await fileOutput(target, create, settings.preservePermissions);
  try {
    const metadata = await decryptPayload(reader, parsed.header, keys, output.sink);
    return { format: 'native', output: await output.commit(metadata, finalPath(metadata)), metadata };
  } catch (error) {
    await output.abort();
    throw error;
  }
}

interface NativeOutput {
  sink: Sink;
  commit(metadata: Metadata, finalPath: string | undefined): Promise<string>;
  abort(): Promise<void>;
}

/** A file that gets the stored mode and mtime. */
async function fileOutput(target: string, create: CreateOptions, preservePermissions: boolean): Promise<NativeOutput> {
  const file = await AtomicFile.create(target, { ...create, private: true });
  return {
    sink: file.sink(),
    commit: (metadata, finalPath) =>
      file.commit({
        // setuid, setgid and sticky bits come from the sender: kept only when asked for.
        ...(metadata.mode ? { mode: metadata.mode & (preservePermissions ? 0o7777 : 0o777) } : {}),
        ...(metadata.mtimeMs ? { mtimeMs: metadata.mtimeMs } : {}),
        ...(finalPath ? { finalPath } : {}),
      }),
    abort: () => file.abort(),
  };
}

/** A directory the archive is extracted into; its root mode comes from the archive's "./" entry. */
async function directoryOutput(
  target: string,
  create: CreateOptions,
  preservePermissions: boolean,
): Promise<NativeOutput> {
  const directory = await AtomicDirectory.create(target, create);
  try {
    const extractor = await extractTo(directory.tempPath, { preservePermissions });
    return {
      sink: extractor.sink,
      commit: (_metadata, finalPath) =>
        directory.commit({ ...(extractor.hasRoot() ? {} : { mode: 0o755 }), ...(finalPath ? { finalPath } : {}) }),
      abort: () => {
        extractor.abort();
        return directory.abort();
      },
    };
  } catch (error) {
    await directory.abort();
    throw error;
  }
}

async function decryptOpensslFile(
  reader: ByteReader,
  settings: DecSettings,
  context: CommandContext,
): Promise<DecResult> {
  if (settings.restoreName) throw usage('--restore-name needs the native format; openssl files store no name');
  const passphrase = await resolvePassphrase(settings, context, false);
  context.warn('warning: an openssl-format file has no integrity protection: changes to it are not detected');
  const options = { passphrase, iterations: settings.opensslIterations };
  if (settings.output === undefined || settings.output === '-') {
    await decryptOpenssl(reader, stdoutSink(context, 'plaintext'), options);
    return { format: 'openssl', output: undefined };
  }
  const file = await AtomicFile.create(settings.output, { force: settings.force, private: true, warn: context.warn });
  try {
    await decryptOpenssl(reader, file.sink(), options);
    return { format: 'openssl', output: await file.commit() };
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/**
 * Where to write, and what to rename to at the end. With --restore-name the
 * stored name is known only then: write under a placeholder in the output
 * directory (default: the current one), and rename at commit.
 */
function restorePlan(settings: DecSettings): {
  target: string;
  finalPath: (metadata: Metadata) => string | undefined;
} {
  if (!settings.restoreName) return { target: settings.output ?? '-', finalPath: () => undefined };
  const dir = settings.output ?? '.';
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw usage(`--restore-name writes into an existing directory; ${dir} is not one`);
  }
  return { target: join(dir, '.filecrypt-restore'), finalPath: (metadata) => join(dir, restorableName(metadata)) };
}

/** Only a plain base name is written: never a path, "..", or a hidden-by-accident empty name. */
function restorableName(metadata: Metadata): string {
  const name = metadata.name;
  if (!name) throw usage('the file stores no original name; use -o instead of --restore-name');
  if (name !== basename(name) || name === '.' || name === '..' || name.includes('\0') || name.includes('\\')) {
    throw usage(`refusing to restore the stored name ${JSON.stringify(name)}`);
  }
  return name;
}
