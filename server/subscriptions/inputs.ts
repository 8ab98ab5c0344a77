import { z } from "zod";

/** Request bodies of the subscription routes. */

/** The whole set at once: what the person ticked is what they get. Topics are checked against the town in the service. */
export const subscriptionsInput = z
  .object({
    topics: z.array(z.string().max(40)).max(50),
    smsAlerts: z.boolean(),
  })
  .strict();
