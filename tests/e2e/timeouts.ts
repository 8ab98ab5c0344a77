/**
 * Time limits of the browser tests. CI machines have two cores that other jobs share, and each
 * test file starts the server (compiled by tsx on start) and a Chromium: what takes 3 s on an idle
 * laptop can take ten times as long there. The limits are generous, and the waits inside
 * (server start-up, mails, focus, `expect.poll`) give up earlier, so a failure names what never
 * happened instead of only "timed out".
 */

/** A test (`it`): page loads, views, API round trips, waiting for mails. */
export const TEST_MS = 120_000;

/** A `beforeAll`/`afterAll`: starting or stopping the server and Chromium, seeding data. */
export const HOOK_MS = 120_000;

/** Waiting for one thing in the page (focus, a text, a selector): below TEST_MS. */
export const WAIT_MS = 30_000;
