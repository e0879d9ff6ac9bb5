/**
 * Progress of a command over many files: on a terminal a bar with the estimated time left,
 * redrawn in place on stderr; elsewhere (a pipe, a log file, CI) a plain line per file. Results
 * go to stdout, so the bar is cleared before each one and drawn again after it.
 */

export interface ProgressState {
  done: number;
  total: number;
  elapsedMs: number;
}

/** `1m05s`, `42s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** The time left at the pace so far; unknown until one file is done. */
export function estimateRemainingMs(state: ProgressState): number | null {
  if (state.done === 0) return null;
  return (state.elapsedMs / state.done) * (state.total - state.done);
}

export function formatProgressBar(state: ProgressState, width = 24): string {
  const fraction = state.total === 0 ? 1 : state.done / state.total;
  const filled = Math.round(fraction * width);
  const remaining = estimateRemainingMs(state);
  const eta =
    state.done === state.total
      ? `done in ${formatDuration(state.elapsedMs)}`
      : `ETA ${remaining === null ? '…' : formatDuration(remaining)}`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${state.done}/${state.total} ${Math.round(fraction * 100)}% ${eta}`;
}

export function formatProgressLine(state: ProgressState): string {
  const remaining = estimateRemainingMs(state);
  const eta =
    state.done === state.total
      ? `done in ${formatDuration(state.elapsedMs)}`
      : `ETA ${remaining === null ? 'unknown' : formatDuration(remaining)}`;
  return `progress: ${state.done}/${state.total} files, ${eta}`;
}

export interface ProgressReporter {
  /** Writes a result line to stdout without tearing the bar. */
  printResult(line: string): void;
  /** Writes a line to stderr without tearing the bar. */
  printError(line: string): void;
  /** One more file is done. */
  advance(): void;
  finish(): void;
}

export function createProgressReporter(
  total: number,
  streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } },
  now: () => number = () => performance.now(),
): ProgressReporter {
  const started = now();
  let done = 0;
  const tty = streams.err.isTTY === true;
  const state = () => ({ done, total, elapsedMs: now() - started });
  const clear = () => {
    if (tty) streams.err.write('\r\x1b[2K');
  };
  const draw = () => {
    if (tty) streams.err.write(formatProgressBar(state()).slice(0, Math.max(20, (streams.err.columns || 80) - 1)));
  };
  draw();
  return {
    printResult(line) {
      clear();
      streams.out.write(`${line}\n`);
      draw();
    },
    printError(line) {
      clear();
      streams.err.write(`${line}\n`);
      draw();
    },
    advance() {
      done++;
      if (tty) {
        clear();
        draw();
      } else streams.err.write(`${formatProgressLine(state())}\n`);
    },
    finish() {
      if (tty) {
        clear();
        streams.err.write(`${formatProgressBar(state())}\n`);
      }
    },
  };
}
