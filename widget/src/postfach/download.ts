import type { Api } from "../core/api.js";

/**
 * A file of the citizen's account (a document from the town, a receipt): the request needs the
 * bearer token, so no plain link can fetch it. Downloaded, then saved from a blob URL under the
 * name the town gave it.
 */
export async function saveFile(api: Api, path: string, name: string, root: Node): Promise<void> {
  const res = await api.fetch("GET", path, { auth: true });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  root.appendChild(a);
  a.click();
  a.remove();
  // Long enough for the browser to start saving; the URL would otherwise live as long as the page.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
