// The value to seal, from stdin and never from an argument (which shell history and `ps` would
// keep). On a terminal it is typed without echo and ends at Enter; piped, it is everything on
// stdin, less the one newline `echo` and most editors end a text with, unless --keep-newline.
import { UsageError } from "../usage-error";

/** Values larger than this are no secret of a lab (a Kubernetes Secret holds 1 MiB in all). */
const maxBytes = 512 * 1024;

export async function readValue(input: NodeJS.ReadStream, prompt: NodeJS.WriteStream, options: { keepNewline: boolean; label: string }): Promise<Buffer> {
  const value = input.isTTY ? await readHidden(input, prompt, options.label) : await readAll(input, options.keepNewline);
  if (value.length === 0) throw new UsageError('no value on stdin; pipe it in (printf %s "$VALUE" | npm run seal -- …) or type it when asked');
  if (value.length > maxBytes) throw new UsageError(`the value is ${value.length} bytes; a sealed value is at most ${maxBytes} bytes`);
  return value;
}

async function readAll(input: NodeJS.ReadableStream, keepNewline: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
  const all = Buffer.concat(chunks);
  if (keepNewline) return all;
  const end = all.length >= 2 && all[all.length - 2] === 13 && all[all.length - 1] === 10 ? 2 : all[all.length - 1] === 10 ? 1 : 0;
  return all.subarray(0, all.length - end);
}

/** Typed with echo off (raw mode): Enter ends, Backspace deletes, Ctrl-C and Ctrl-D give up. */
function readHidden(input: NodeJS.ReadStream, prompt: NodeJS.WriteStream, label: string): Promise<Buffer> {
  // Echo off before the prompt: nothing typed after it can show.
  input.setRawMode(true);
  input.resume();
  prompt.write(`${label} (typing is not shown; Enter ends): `);
  const typed: number[] = [];
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      prompt.write("\n");
      if (error) reject(error);
      else resolve(Buffer.from(typed));
    };
    const onData = (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte === 3 || byte === 4) return done(new UsageError("cancelled; nothing was sealed"));
        if (byte === 13 || byte === 10) return done();
        if (byte === 127 || byte === 8) {
          // Back over a whole UTF-8 character: its continuation bytes are 10xxxxxx.
          while (typed.length && (typed[typed.length - 1] & 0xc0) === 0x80) typed.pop();
          typed.pop();
        } else typed.push(byte);
      }
    };
    input.on("data", onData);
  });
}
