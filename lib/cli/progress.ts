/** A one-line progress bar on stderr (redrawn in place on a terminal, every 10% otherwise). */
import type { TrainProgress } from '../train/trainer';

export class ProgressBar {
  private lastPct = -1;
  constructor(private readonly label: string, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: TrainProgress): void {
    const pct = Math.floor((100 * p.step) / Math.max(p.steps, 1));
    const tty = this.stream.isTTY;
    if (!tty && pct < this.lastPct + 10 && p.step !== p.steps) return;
    this.lastPct = pct;
    const width = 24;
    const filled = Math.round((width * p.step) / Math.max(p.steps, 1));
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const loss = Object.entries(p.loss)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join(' ');
    const line = `${this.label} epoch ${p.epoch} [${bar}] ${p.step}/${p.steps} ${p.stepsPerSec.toFixed(1)} steps/s eta ${p.etaSec.toFixed(0)}s ${loss}`;
    if (tty) this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 120) - 1)}\x1b[K`);
    else this.stream.write(`${line}\n`);
  }

  done(msg: string): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
    this.stream.write(`${msg}\n`);
  }
}
