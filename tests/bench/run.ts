/** `npm run bench [login|fanout|fanout-worker|reads|submissions|office|slots]`: every benchmark, each with its baseline measured in the same run. */
import { benchFanout } from "./fanout.js";
import { benchFanoutWorker } from "./fanout-worker.js";
import { benchLogin } from "./login.js";
import { benchOffice } from "./office.js";
import { benchReads } from "./reads.js";
import { benchSlots } from "./slots.js";
import { benchSubmissions } from "./submissions.js";

const only = process.argv[2];
if (!only || only === "login") await benchLogin();
if (!only || only === "fanout") await benchFanout();
if (!only || only === "fanout-worker") await benchFanoutWorker();
if (!only || only === "reads") await benchReads();
if (!only || only === "submissions") await benchSubmissions();
if (!only || only === "office") await benchOffice();
if (!only || only === "slots") await benchSlots();
