/**
 * The baseline of the read benchmark: bare `node:http` answering, from a map, exactly the bytes
 * (status, headers, body) the real server gave for the same request. What the real server does
 * beyond this is the price of routing, town lookup, caching and logging.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const answers = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Record<string, Recorded>));
const server = createServer((req, res) => {
  const hit = answers.get(`${req.url}|${req.headers["if-none-match"] ?? ""}`);
  if (!hit) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(hit.status, hit.headers);
  res.end(hit.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : ""}`);
});
