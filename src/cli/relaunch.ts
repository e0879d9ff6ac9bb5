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
 * Setting MALLOC_ARENA_MAX yourself (in a container image, say; with MALLOC_MMAP_THRESHOLD_=262144
 * for the lower figure) skips the extra process, as do musl systems and a debugger (--inspect).
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
const FORWARD_DELAY_MS = 200;
const CRASH_SIGNALS = new Set<string>(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGQUIT', 'SIGTRAP', 'SIGSYS']);

/** True when the C library is glibc (musl, as in Alpine images, ignores these settings). */
function runsOnGlibc(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const header = report?.header;
  return typeof header?.glibcVersionRuntime === 'string';
}

/**
 * True when this process should run the command in a child with the arena limit set: on glibc,
 * unless the limit is set already, and not under a debugger (the child could not take the
 * inspector's port, and the debugger would be attached to the wrong process).
 */
export function shouldRelaunch(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  execArgv: string[] = process.execArgv,
): boolean {
  if (platform !== 'linux' || env.MALLOC_ARENA_MAX !== undefined) return false;
  if ([...execArgv, env.NODE_OPTIONS ?? ''].some((argument) => /--inspect|--debug-port/.test(argument))) return false;
  return runsOnGlibc();
}

/** Runs `entry args…` in a child Node process with the arena limit; resolves to its exit code. */
export async function runWithArenaLimit(entry: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
    stdio: 'inherit',
    env: {
      ...process.env,
      MALLOC_ARENA_MAX: ARENA_LIMIT,
      MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD,
      [SUPERVISOR_VARIABLE]: String(process.pid),
    },
  });
  // Every stop signal is passed on, a moment later: one sent to the whole process group (Ctrl-C,
  // systemd) has reached the child already, which may have finished stopping by then; a repeat
  // landing while it stops counts as the same request (run-service.ts).
  const forwarders = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const forward = () => {
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      }, FORWARD_DELAY_MS);
    };
    process.on(signal, forward);
    return { signal, forward };
  });
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    if (signal) {
      const status = 128 + (constants.signals[signal] ?? 0);
      // A crash of the child is its own; the supervisor reports it without dumping core itself.
      if (CRASH_SIGNALS.has(signal)) return status;
      // Die the way the child died, so a shell or supervisor sees the same status.
      for (const forwarder of forwarders) process.off(forwarder.signal, forwarder.forward);
      process.kill(process.pid, signal);
      return status;
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
  const stopIfOrphaned = () => {
    if (process.ppid === supervisor) return;
    process.stderr.write(`docsort: the supervising process ${supervisor} is gone; stopping.\n`);
    process.kill(process.pid, 'SIGKILL');
  };
  stopIfOrphaned();
  setInterval(stopIfOrphaned, SUPERVISOR_CHECK_MS).unref();
}
