import { type Api, ApiError } from "../core/api.js";
import type { ProofChallenge } from "../core/types.js";
import { solveChallenge } from "../core/proof-solver.js";

/**
 * A solved proof of work for one anonymous upload or submission: a fresh challenge from the
 * server (each is accepted once), solved on the page.
 */
export async function solvedProof(api: Api, purpose: "upload" | "submission", signal?: AbortSignal): Promise<string> {
  const challenge = await api.get<ProofChallenge>(`proof/challenge?purpose=${purpose}`);
  return solveChallenge(challenge, signal ? { signal } : {});
}

/** The server refused the proof (expired, used, wrong): a fresh one may succeed. */
export const isProofProblem = (e: unknown) => e instanceof ApiError && (e.code.includes("proof") || "proof" in e.fields);
