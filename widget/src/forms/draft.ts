import { ApiError } from "../core/api.js";

export type DraftStatus = "off" | "idle" | "saving" | "saved" | "failed";

/**
 * Autosave of a signed-in citizen's draft: saved `delay` ms after the last change, one request at
 * a time (a change during a save is saved right after it), at once on `flush` (step changes,
 * leaving the form). An account that may not keep drafts (403: not verified) turns it off.
 */
export class DraftSaver {
  status: DraftStatus = "idle";
  savedAt: Date | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly save: () => Promise<unknown>,
    private readonly changed: () => void,
    private readonly delay = 1500,
  ) {}

  schedule() {
    if (this.status === "off") return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), this.delay);
  }

  /** Saves a pending change now; resolves when nothing is being saved any more. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) await this.run();
    while (this.running) await this.running;
  }

  /** No more saves (after sending); waits for one under way, so it cannot land after a delete. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.again = false;
    while (this.running) await this.running;
    this.status = "off";
  }

  private run(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.status = "saving";
    this.changed();
    this.running = this.save().then(
      () => {
        this.status = "saved";
        this.savedAt = new Date();
      },
      (e: unknown) => {
        this.status = e instanceof ApiError && (e.status === 403 || e.status === 401) ? "off" : "failed";
      },
    );
    return this.running.finally(() => {
      this.running = undefined;
      if (this.again && this.status !== "off") {
        this.again = false;
        void this.run();
      }
      this.changed();
    });
  }
}
