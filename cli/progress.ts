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
      if (!bar) {
        bar = new SingleBar({
          stream,
          format: `  ${current} [{bar}] {percentage}% | {value}/{total} MiB | eta {eta}s`,
          hideCursor: true,
        });
        bar.start(Math.max(1, Math.round(total / 2 ** 20)), 0);
      }
      bar.update(Math.round(done / 2 ** 20));
    },
    stop: stopBar,
  };
}
