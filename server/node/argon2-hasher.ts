import { hash, verify } from "@node-rs/argon2";
import { type PasswordHasher, argon2Params } from "../accounts/hasher.js";

export const nodeArgon2Hasher: PasswordHasher = {
  hash: (password) => hash(password, argon2Params) /* argon2id is the default algorithm */,
  verify: async (phc, password) => {
    try {
      return await verify(phc, password);
    } catch {
      return false;
    }
  },
};
