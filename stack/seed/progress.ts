/**
 * Progress of the write, one step per source table: a bar (cli-progress) when stdout is a terminal, otherwise
 * plain lines (at the start and end of each table, and about every 10 % of a large one).
 */
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  /** Starts a table of `total` records. */
  start(table: string, total: number): void;
  /** `done` more records of the current table are written or found already there. */
  advance(done: number): void;
  /** The current table is finished: `inserted` new rows, `existing` already there. */
  finish(inserted: number, existing: number): void;
  /** A line of its own (for waits and the like), printed without breaking the bar. */
  note(text: string): void;
  stop(): void;
}

export function createProgress(out: NodeJS.WriteStream = process.stdout): Progress {
  return out.isTTY ? new BarProgress(out) : new LineProgress(out);
}

class LineProgress implements Progress {
  private table = '';
  private total = 0;
  private done = 0;
  private nextReport = 0;
  private started = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  start(table: string, total: number): void {
    Object.assign(this, { table, total, done: 0, started: Date.now() });
    this.nextReport = Math.max(1, Math.ceil(total / 10));
    this.out.write(`seed: ${table}: ${total} records\n`);
  }

  advance(done: number): void {
    this.done += done;
    if (this.total >= 500 && this.done >= this.nextReport && this.done < this.total) {
      this.out.write(`seed: ${this.table}: ${this.done}/${this.total}\n`);
      this.nextReport += Math.ceil(this.total / 10);
    }
  }

  finish(inserted: number, existing: number): void {
    const ms = Date.now() - this.started;
    this.out.write(`seed: ${this.table}: ${inserted} inserted, ${existing} already there (${ms} ms)\n`);
  }

  note(text: string): void {
    this.out.write(`seed: ${text}\n`);
  }

  stop(): void {}
}

class BarProgress implements Progress {
  private readonly bar: SingleBar;
  private running = false;
  private table = '';

  constructor(private readonly out: NodeJS.WriteStream) {
    this.bar = new SingleBar(
      { format: 'seed {table} [{bar}] {value}/{total} | {duration_formatted}', stream: out, hideCursor: true },
      Presets.shades_classic,
    );
  }

  start(table: string, total: number): void {
    this.table = table;
    this.bar.start(Math.max(total, 1), 0, { table: table.padEnd(34) });
    this.running = true;
  }

  advance(done: number): void {
    this.bar.increment(done);
  }

  finish(inserted: number, existing: number): void {
    this.bar.update(this.bar.getTotal());
    this.bar.stop();
    this.running = false;
    this.out.write(`seed: ${this.table}: ${inserted} inserted, ${existing} already there\n`);
  }

  note(text: string): void {
    if (this.running) this.bar.stop();
    this.out.write(`seed: ${text}\n`);
    this.running = false;
  }

  stop(): void {
    if (this.running) this.bar.stop();
  }
}
