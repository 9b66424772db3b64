import type { StepState, TaskRecorder } from '../services/tasks.ts';
import { untilWritten } from './transient.ts';

export type StepChange = { state?: StepState; progress?: number; message?: string | null };
type Entry = { position: number; change: StepChange } | { write: () => Promise<void> };

/**
 * A task's record, written in the order it happens but off the path of the host work: a step
 * runs while the row saying it started is still being written. Progress queued behind progress
 * of the same step merges into one write. flush() waits until all of it is written.
 */
export class TaskJournal {
  private readonly recorder: TaskRecorder;
  private readonly queue: Entry[] = [];
  private writing: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(recorder: TaskRecorder) {
    this.recorder = recorder;
  }

  step(position: number, change: StepChange): void {
    const last = this.queue.at(-1);
    const progressOnly = change.state === undefined;
    if (progressOnly && last && 'position' in last && last.position === position && (last.change.state ?? 'running') === 'running') Object.assign(last.change, change);
    else this.queue.push({ position, change: { ...change } });
    this.pump();
  }

  line(text: string, warning = false): void {
    this.write(() => this.recorder.log(text, warning));
  }

  write(write: () => Promise<void>): void {
    this.queue.push({ write });
    this.pump();
  }

  /** Waits for every write so far; throws the first that failed. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }

  private pump(): void {
    this.writing ??= (async () => {
      await null; // so that `writing` is set before the loop can end and clear it
      for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) {
        try {
          // A database restart costs a wait, not the task: the write is tried again until it lands.
          await untilWritten(() => ('write' in entry ? entry.write() : this.recorder.step(entry.position, entry.change)));
        } catch (error) {
          this.failure ??= error as Error;
        }
      }
      this.writing = null;
    })();
  }
}
