/** Option parsing shared by the commands: a usage mistake is a `UsageError` (exit 2), never a stack trace. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type StrictConfig<O extends Options> = { args: string[]; allowPositionals: true; strict: true; options: O };

/** `parseArgs` with positionals allowed and unknown options refused, its complaints turned into `UsageError`. */
export function parseCommandLine<const O extends Options>(argv: string[], options: O): ReturnType<typeof parseArgs<StrictConfig<O>>> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
