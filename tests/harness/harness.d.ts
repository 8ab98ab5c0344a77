declare module "#harness" {
  export function createTestApp(): Promise<import("./types.js").TestApp>;
}
