import type { InspectSettings } from '../config.js';
import { usage } from '../errors.js';
import { recognise, SNIFF_BYTES } from '../formats/detect.js';
import { withInput, type Input } from '../io/input.js';
import { ByteReader } from '../io/reader.js';
import type { CommandContext } from './context.js';

/** Whatever the first bytes say the file is, that format describes it (formats/*.ts). */
export async function inspectCommand(input: string | undefined, settings: InspectSettings, context: CommandContext) {
  return withInput(input, context.stdin, (source) => inspectInput(source, settings, context));
}

async function inspectInput(source: Input, settings: InspectSettings, context: CommandContext): Promise<string[]> {
  const reader = new ByteReader(source.chunks);
  try {
    if (source.kind === 'directory') throw usage(`${source.label} is a directory, not an encrypted file`);
    await reader.fill(SNIFF_BYTES);
    const format = await recognise(reader.peek(Math.min(SNIFF_BYTES, reader.buffered)));
    return await format.inspect(reader, source, settings, context);
  } finally {
    await reader.close();
  }
}
