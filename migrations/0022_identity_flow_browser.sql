-- A login at a provider answers only in the browser that started it: the flow keeps the SHA-256
-- of a random value the start set in an HttpOnly cookie of that browser (server/identity/routes.ts),
-- and the provider's answer must bring the same cookie. A start link sent to someone else (to make
-- their Bürgerkonto log into, or link to, another account) ends in their browser without it.
ALTER TABLE identity_flows ADD COLUMN browser TEXT;
