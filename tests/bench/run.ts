/** `npm run bench [login|fanout]`: every benchmark, each with its baseline measured in the same run. */
import { benchFanout } from "./fanout.js";
import { benchLogin } from "./login.js";

const only = process.argv[2];
if (!only || only === "login") await benchLogin();
if (!only || only === "fanout") await benchFanout();
