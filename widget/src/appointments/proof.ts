import { type Api, ApiError } from "../core/api.js";
import { solveChallenge } from "../core/proof-solver.js";
import type { ProofChallenge } from "../core/types.js";

/** The proof of work of a booking or request without an account (`purpose=appointment`): a fresh challenge, solved on the page. */
async function solvedAppointmentProof(api: Api, signal?: AbortSignal): Promise<string> {
  const ch = await api.get<ProofChallenge>("proof/challenge?purpose=appointment");
  return solveChallenge(ch, signal ? { signal } : {});
}

/** The server refused the proof (expired, used, wrong): a fresh one may succeed. */
const isProofProblem = (e: unknown) => e instanceof ApiError && (e.code.includes("proof") || "proof" in e.fields);

export type ProofState = "idle" | "solving" | "ready" | "failed";

/**
 * The proof of work of one booking or request without an account: solved ahead while the
 * citizen reads and types, spent once per sending, replaced after every answer.
 */
export class AppointmentProof {
  state: ProofState = "idle";
  private pending: Promise<string> | undefined;

  constructor(
    private readonly api: () => Api,
    private readonly changed: () => void,
  ) {}

  /** Starts solving now; a failure only shows in `state` (sending tries again). */
  prepare() {
    this.solve().catch(() => undefined);
  }

  private solve(): Promise<string> {
    if (this.pending) return this.pending;
    this.state = "solving";
    this.changed();
    const proof = solvedAppointmentProof(this.api()).then(
      (payload) => {
        this.state = "ready";
        this.changed();
        return payload;
      },
      (e: unknown) => {
        this.pending = undefined;
        this.state = "failed";
        this.changed();
        throw e;
      },
    );
    this.pending = proof;
    return proof;
  }

  /** Sends with a solved proof; an expired or used one is replaced once. */
  async send<T>(post: (proof: string) => Promise<T>): Promise<T> {
    const attempt = async () => {
      const proof = await this.solve();
      // A proof is accepted once, whatever the answer: the next attempt solves a new one.
      this.pending = undefined;
      try {
        return await post(proof);
      } catch (e) {
        this.prepare();
        throw e;
      }
    };
    try {
      return await attempt();
    } catch (e) {
      if (!isProofProblem(e)) throw e;
      return attempt();
    }
  }
}
