import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TaskRecord } from '@argmin/core';

/**
 * Task records as JSON Lines, one per task id: a re-run of the same sweep reads the file and skips
 * the tasks whose records exist; `append` writes a record only once per id.
 */
export class JsonlStore {
  readonly path: string;
  private readonly records = new Map<string, TaskRecord>();

  constructor(path: string) {
    this.path = path;
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const record = JSON.parse(line) as TaskRecord;
          if (typeof record.id === 'string' && !this.records.has(record.id))
            this.records.set(record.id, record);
        } catch {
          // A torn last line (a killed writer) is ignored: its task runs again.
        }
      }
    }
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  get(id: string): TaskRecord | undefined {
    return this.records.get(id);
  }

  /** Records in the order they were first written. */
  all(): TaskRecord[] {
    return [...this.records.values()];
  }

  /** Writes the record unless one with its id exists; returns whether it was written. */
  append(record: TaskRecord): boolean {
    if (this.records.has(record.id)) return false;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
    this.records.set(record.id, record);
    return true;
  }
}
