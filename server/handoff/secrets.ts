/**
 * Where webhook secrets come from: the environment of the process (Node: `process.env`;
 * Workers: the env bindings, `wrangler secret put`). tenant.json names the variable, never the
 * secret, so the town's configuration can live in git.
 */
export type SecretSource = (name: string) => string | undefined;

/**
 * What a webhook's `secretEnv` may name: `WEBHOOK_…` in capitals, digits and `_`. The prefix
 * keeps tenant.json from having the server sign with one of the deployment's own secrets
 * (APP_SECRET, MAIL_API_KEY …), whose HMACs a receiver could then collect.
 */
export const webhookSecretName = /^WEBHOOK_[A-Z0-9_]{1,56}$/;

/** Shorter secrets are refused when sending (the delivery waits, the log says why). */
export const minSecretLength = 16;

/** The secrets port over an environment object; only webhook secret names are ever read. */
export function envSecrets(env: Readonly<Record<string, unknown>>): SecretSource {
  return (name) => {
    if (!webhookSecretName.test(name)) return undefined;
    const value = env[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
}
