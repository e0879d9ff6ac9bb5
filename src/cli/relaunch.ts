/**
 * glibc's malloc gives every thread that allocates its own arena (up to eight per core), keeps
 * what is freed in each, and after the first large free serves buffers of that size from the arenas
 * instead of fresh mappings. docsort's PDF and OCR threads hand page images of several megabytes to
 * one another, so a long extraction held far more than it used (whole-corpus `extract`: child peak
 * 655–733 MB by default, 476 MB with two arenas, 428 MB with two arenas and a fixed mmap threshold,
 * which hands every buffer over 256 kB straight back to the system when it is freed). glibc reads
 * both settings once, when a process starts, so the CLI starts itself again with them set: a small
 * supervising process (~43 MB) that passes signals and the exit status on, and the work in the child.
 *
 * Setting MALLOC_ARENA_MAX yourself (in a container image, say) skips the extra process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';

const ARENA_LIMIT = '2';
/** Buffers above this size are mapped and unmapped on their own rather than kept in an arena. */
const MMAP_THRESHOLD = String(256 * 1024);
/** Tells the child which process supervises it, so it can stop when that process is killed. */
const SUPERVISOR_VARIABLE = 'DOCSORT_SUPERVISOR_PID';
const SUPERVISOR_CHECK_MS = 500;

/** True when this process should run the command in a child with the arena limit set. */
export function shouldRelaunch(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux' && env.MALLOC_ARENA_MAX === undefined;
}

/** Runs `entry args…` in a child Node process with the arena limit; resolves to its exit code. */
export async function runWithArenaLimit(entry: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: ARENA_LIMIT, MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD, [SUPERVISOR_VARIABLE]: String(process.pid) },
  });
  // Ctrl-C reaches the child through the terminal's process group already; passing it on as well
  // would be a second interrupt, which ends a server's graceful shutdown early.
  const ignoreInterrupt = () => undefined;
  process.on('SIGINT', ignoreInterrupt);
  const forwarders = (['SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const forward = () => child.kill(signal);
    process.on(signal, forward);
    return { signal, forward };
  });
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    if (signal) {
      // Die the way the child died, so a shell or supervisor sees the same status.
      process.off('SIGINT', ignoreInterrupt);
      for (const forwarder of forwarders) process.off(forwarder.signal, forwarder.forward);
      process.kill(process.pid, signal);
      return 128 + (constants.signals[signal] ?? 0);
    }
    return code ?? 1;
  } catch (error) {
    process.stderr.write(`docsort: could not start the command (${error instanceof Error ? error.message : String(error)}).\n`);
    return 1;
  }
}

/**
 * In the child: stop at once if the supervising process disappears (killed with SIGKILL, which it
 * cannot pass on), rather than run on unsupervised. The variable is removed so that docsort
 * processes this one starts do not take it for their own supervisor.
 */
export function watchSupervisor(env: NodeJS.ProcessEnv = process.env): void {
  const supervisor = Number(env[SUPERVISOR_VARIABLE]);
  delete env[SUPERVISOR_VARIABLE];
  if (!Number.isInteger(supervisor) || supervisor <= 0) return;
  if (process.ppid !== supervisor) process.kill(process.pid, 'SIGKILL');
  setInterval(() => {
    if (process.ppid !== supervisor) process.kill(process.pid, 'SIGKILL');
  }, SUPERVISOR_CHECK_MS).unref();
}
