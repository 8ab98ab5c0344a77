/** argon2id behind a port: @node-rs/argon2 on Node, a pure-JS build on Workers; both read the same PHC strings. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
export const argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
