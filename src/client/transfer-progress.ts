/**
 * The progress bar of downloads and uploads: drawn on stderr at most every 100 ms, only when
 * enabled (downloads: stderr is a terminal, or --progress; uploads: stderr is a terminal and the
 * body is over 8 MiB, see ./api-client.ts), and ended with a newline.
 */
import type { Io } from '../core/io.js';
import { formatSize } from '../core/format-size.js';

export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  constructor(
    private readonly io: Io,
    private total: number | undefined,
    private readonly enabled: boolean,
  ) {}

  setTotal(total: number | undefined): void {
    this.total = total;
  }

  /** From zero again (a retried upload sends its body again). */
  restart(): void {
    this.done = 0;
  }

  add(n: number): void {
    this.done += n;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw >= 100) {
      this.lastDraw = now;
      this.draw();
    }
  }

  private draw(): void {
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = `${formatSize(Math.round(this.done / secs))}/s`;
    let line: string;
    if (this.total) {
      const frac = Math.min(1, this.done / this.total);
      const width = 24;
      const filled = Math.round(frac * width);
      line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${formatSize(this.done)} / ${formatSize(this.total)}  ${rate}`;
    } else {
      line = `${formatSize(this.done)}  ${rate}`;
    }
    this.io.stderr.write(`\r${line}\x1b[K`);
  }

  finish(ok: boolean): void {
    if (!this.enabled || this.lastDraw === 0) return;
    if (ok) this.draw();
    this.io.stderr.write('\n');
  }
}
