import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStaticFile } from "./static-files.js";

const root = mkdtempSync(join(tmpdir(), "dr-static-"));
mkdirSync(join(root, "tangerhuette"));
writeFileSync(join(root, "tangerhuette", "index.html"), "<h1>Tangerhütte</h1>");
writeFileSync(join(root, "secret.txt"), "inside");

describe("readStaticFile", () => {
  it("redirects a folder to its slash form on this site", async () => {
    expect(await readStaticFile(root, "/tangerhuette")).toEqual({ redirect: "/tangerhuette/" });
  });

  it("never redirects to another host, however the path is spelled", async () => {
    for (const path of ["//evil.example/..%2ftangerhuette", "//evil.example/../tangerhuette", "/%2fevil.example/..%2ftangerhuette", "/\\evil.example/..%2ftangerhuette"]) {
      const file = await readStaticFile(root, path);
      if (file && "redirect" in file) expect(file.redirect, path).toBe("/tangerhuette/");
    }
  });

  it("refuses paths that climb out of the folder", async () => {
    expect(await readStaticFile(join(root, "tangerhuette"), "/../secret.txt")).toBeNull();
    expect(await readStaticFile(join(root, "tangerhuette"), "/..%2fsecret.txt")).toBeNull();
  });

  it("serves files with their type", async () => {
    const file = await readStaticFile(root, "/tangerhuette/");
    expect(file && "body" in file && file.type).toBe("text/html; charset=utf-8");
  });
});
