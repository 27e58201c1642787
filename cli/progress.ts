/** A progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes). */
import { SingleBar } from 'cli-progress';

export type Progress = {
  stage(name: string): void;
  update(done: number, total: number): void;
  stop(): void;
};

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { stage: () => {}, update: () => {}, stop: () => {} };
  let bar: SingleBar | null = null;
  let current = '';
  const stopBar = () => {
    bar?.stop();
    bar = null;
  };
  return {
    stage(name) {
      stopBar();
      current = name;
      stream.write(`${name}…\n`);
    },
    update(done, total) {
      const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
      if (!bar) {
        bar = new SingleBar({
          stream,
          format: `  ${current} [{bar}] {percentage}% | {doneMib}/{totalMib} MiB | eta {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        });
        bar.start(Math.max(1, total), 0, { doneMib: mib(0), totalMib: mib(total) });
      }
      bar.update(done, { doneMib: mib(done), totalMib: mib(total) });
    },
    stop: stopBar,
  };
}

/** A one-line status on stderr when it is a terminal (counts whose total is not known up front). */
export function createStatusLine(stream: NodeJS.WriteStream = process.stderr): {
  show(text: string): void;
  stop(): void;
} {
  if (!stream.isTTY) return { show: () => {}, stop: () => {} };
  let shown = false;
  let last = 0;
  return {
    show(text) {
      const now = Date.now();
      // A few updates a second are readable; one per record would cost more than the work.
      if (shown && now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${text}`);
    },
    stop() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
