export {};

declare module "vitest" {
  /** What the global setups hand the suites (tests/support/test-idp.ts). */
  export interface ProvidedContext {
    /** The Test-Bürgerkonto started for this run. */
    idpIssuer: string;
  }
}
