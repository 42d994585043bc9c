import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** What /proc says of the processes here: how the harness knows which servers are still there. */

/** The parent of `pid`, or undefined once it is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    // The command name in parentheses may hold spaces; the parent's pid is the second field after it.
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The pid and parent of every process. */
export function processTable(): Map<number, number | undefined> {
  const pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);
  return new Map(pids.map((pid) => [pid, parentOf(pid)]));
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Every process below `root`, whatever group it moved to: the servers run in groups of their own. */
export function descendantsOf(root: number): number[] {
  const parents = processTable();
  const found = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (parent !== undefined && found.has(parent) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** Still there, and not merely a zombie waiting for its parent to read its status. */
export function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

export const describeProcess = (pid: number) => {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
  } catch {
    return `${pid}`;
  }
};
