import type { Api } from "../core/api.js";
import { solveChallenge } from "../core/proof-solver.js";
import type { ProofChallenge } from "../core/types.js";

/** The proof of work of a booking or request without an account (`purpose=appointment`): a fresh challenge, solved on the page. */
export async function solvedAppointmentProof(api: Api, signal?: AbortSignal): Promise<string> {
  const ch = await api.get<ProofChallenge>("proof/challenge?purpose=appointment");
  return solveChallenge(ch, signal ? { signal } : {});
}
