/** `npm run bench`: every benchmark, each with its baseline measured in the same run. */
import { benchLogin } from "./login.js";

const only = process.argv[2];
if (!only || only === "login") await benchLogin();
