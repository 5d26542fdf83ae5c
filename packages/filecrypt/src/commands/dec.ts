import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DecSettings } from '../config.js';
import type { Metadata } from '../format/metadata.js';
import { usage } from '../errors.js';
import type { OpenedFile } from '../formats/format.js';
import { formatToDecrypt, SNIFF_BYTES } from '../formats/detect.js';
import { withInput, type Input } from '../io/input.js';
import { AtomicDirectory, AtomicFile, type CreateOptions } from '../io/output.js';
import { withProgress } from '../io/progress.js';
import { ByteReader } from '../io/reader.js';
import type { Sink } from '../io/sink.js';
import { extractTo } from '../io/tar.js';
import type { CommandContext } from './context.js';
import { checkOutputPath, stdoutSink } from './output.js';

export interface DecResult {
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
    await reader.fill(SNIFF_BYTES);
    const format = await formatToDecrypt(reader.peek(Math.min(SNIFF_BYTES, reader.buffered)), settings.format);
    return await writePlaintext(await format.open(reader, settings, context), settings, context);
  } finally {
    done();
  }
}

/**
 * The payload to stdout, to a file, or (a directory archive) extracted to
 * a directory; the last two appear, under the stored name with
 * --restore-name, only once everything has verified.
 */
async function writePlaintext(opened: OpenedFile, settings: DecSettings, context: CommandContext): Promise<DecResult> {
  if (!settings.restoreName && (settings.output === undefined || settings.output === '-')) {
    const sink = stdoutSink(context, opened.tar ? 'a directory archive' : 'plaintext');
    const metadata = await opened.decrypt(sink);
    return { output: undefined, ...(metadata ? { metadata } : {}) };
  }
  const { target, finalPath } = restorePlan(settings);
  const create = { force: settings.force, warn: context.warn };
  const output = opened.tar
    ? await directoryOutput(target, create, settings.preservePermissions)
    : await fileOutput(target, create, settings.preservePermissions);
  try {
    const metadata = await opened.decrypt(output.sink);
    return {
      output: await output.commit(metadata, metadata && finalPath(metadata)),
      ...(metadata ? { metadata } : {}),
    };
  } catch (error) {
    await output.abort();
    throw error;
  }
}

interface NativeOutput {
  sink: Sink;
  /** Stored facts (native format only) give the file its mode and mtime. */
  commit(metadata: Metadata | undefined, finalPath: string | undefined): Promise<string>;
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
        ...(metadata?.mode ? { mode: metadata.mode & (preservePermissions ? 0o7777 : 0o777) } : {}),
        ...(metadata?.mtimeMs ? { mtimeMs: metadata.mtimeMs } : {}),
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
