import type { Api } from "../core/api.js";
import type { FileField, Lang, Upload } from "../core/types.js";
import { formatBytes } from "./answers.js";
import { isProofProblem, solvedProof } from "./proof.js";
import { formTexts } from "./texts.js";

/** A file on its way: the proof of work first (anonymous), then the upload with its progress. */
export interface PendingUpload {
  key: number;
  name: string;
  proof: boolean;
  /** 0…1. */
  progress: number;
}

const DEFAULT_MAX = 10 * 1024 * 1024;

/** `application/pdf` → `PDF`, for people. */
export const typeNames = (f: FileField) => f.accept.map((t) => (t === "image/jpeg" ? "JPEG" : (t.split("/")[1] ?? t).toUpperCase())).join(", ");
export const maxSize = (f: FileField) => f.maxSize ?? DEFAULT_MAX;

/**
 * The uploads of one form: files being sent per field (by dot path), and the names of those the
 * server has (an answer holds only upload ids; a resumed draft brings the names of its files).
 */
export class Uploads {
  readonly pending = new Map<string, PendingUpload[]>();
  readonly names = new Map<string, string>();
  private key = 0;

  constructor(
    private readonly api: () => Api,
    private readonly formId: string,
    private readonly changed: () => void,
  ) {}

  /** What the server would refuse anyway, said before the citizen waits for an upload. */
  refuse(f: FileField, file: File, lang: Lang): string | undefined {
    const t = formTexts[lang];
    if (file.size > maxSize(f)) return t.fileTooLarge(file.name, formatBytes(maxSize(f), lang));
    // An empty type (unknown extension) is left to the server, which decides by content anyway.
    if (file.type && !f.accept.includes(file.type)) return t.fileType(file.name, typeNames(f));
    return undefined;
  }

  async send(path: string, file: File, anonymous: boolean): Promise<Upload> {
    const p: PendingUpload = { key: this.key++, name: file.name, proof: anonymous, progress: 0 };
    this.pending.set(path, [...(this.pending.get(path) ?? []), p]);
    this.changed();
    try {
      const upload = await this.post(p, path, file, anonymous).catch((e: unknown) => {
        // A proof that expired while the citizen chose the file: once more with a fresh one.
        if (!anonymous || !isProofProblem(e)) throw e;
        return this.post(p, path, file, anonymous);
      });
      this.names.set(upload.id, upload.name);
      return upload;
    } finally {
      this.pending.set(path, (this.pending.get(path) ?? []).filter((x) => x !== p));
      this.changed();
    }
  }

  private async post(p: PendingUpload, path: string, file: File, anonymous: boolean): Promise<Upload> {
    const api = this.api();
    p.proof = anonymous;
    p.progress = 0;
    this.changed();
    // Each anonymous upload proves its work afresh: a proof is accepted once.
    const headers: Record<string, string> = anonymous ? { "X-Proof": await solvedProof(api, "upload") } : {};
    p.proof = false;
    this.changed();
    const body = new FormData();
    // The server reads the field before the file, to know the file's limits from its first byte.
    body.append("field", path);
    body.append("file", file, file.name);
    return api.upload<Upload>(`forms/${encodeURIComponent(this.formId)}/uploads`, body, {
      auth: !anonymous,
      headers,
      onProgress: (fraction) => {
        p.progress = fraction;
        this.changed();
      },
    });
  }

  /** Removes the file from the server too; if that fails, the server's cleanup takes unused uploads. */
  remove(id: string, anonymous: boolean) {
    this.names.delete(id);
    this.api()
      .send("DELETE", `forms/${encodeURIComponent(this.formId)}/uploads/${encodeURIComponent(id)}`, undefined, !anonymous)
      .catch(() => undefined);
  }

  busy(): boolean {
    return [...this.pending.values()].some((list) => list.length > 0);
  }
}
