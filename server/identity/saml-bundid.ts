import type { TrustLevel } from "./types.js";
import { ns } from "./saml-xml.js";

/**
 * BundID's attributes by OID. BundID's interface specification is not public; these OIDs are the
 * ones several open-source BundID integrations agree on (e.g. the Bundesagentur für Arbeit's
 * keycloak-extension-bundid, the a2j-rechtsantragstelle service on node-saml, a university's
 * BundID SAML proxy). bPK2 is BundID's stable, service-specific id of a person; the address comes
 * as the X.500 attributes postalAddress (street and number), postalCode and localityName, the
 * country under an Austrian-registered OID.
 */
export const bundIdAttributes = {
  bPK2: "urn:oid:1.3.6.1.4.1.25484.494450.3",
  givenName: "urn:oid:2.5.4.42",
  surname: "urn:oid:2.5.4.4",
  mail: "urn:oid:0.9.2342.19200300.100.1.3",
  postalAddress: "urn:oid:2.5.4.16",
  postalCode: "urn:oid:2.5.4.17",
  localityName: "urn:oid:2.5.4.7",
  country: "urn:oid:1.2.40.0.10.2.1.1.225599",
  /** EID-CITIZEN-QAA-LEVEL: requested by some integrations, not needed here (the AuthnContextClassRef says the same). */
  citizenQaaLevel: "urn:oid:1.2.40.0.10.2.1.1.261.94",
} as const;

/** All login methods BundID offers; which of them may reach a level is the IdP's business (RequestedAuthnContext). */
const authnMethods = ["Authega", "Benutzername", "Diia", "eID", "eIDAS", "Elster", "FINK"] as const;

/** The STORK QAA level to request at least: basic asks for level 1 (user name and password suffice). */
export const storkLevelFor = (min: TrustLevel) => `STORK-QAA-Level-${{ basic: 1, substantial: 3, high: 4 }[min]}`;

/** STORK 1–2 are "normal" in the TR-03107's words, 3 "substantiell", 4 "hoch". */
const fromNumber = (n: number): TrustLevel | null => (n >= 4 ? "high" : n === 3 ? "substantial" : n >= 1 ? "basic" : null);

/**
 * The level an AuthnContextClassRef names: STORK-QAA-Level-N (BundID, the state Servicekonten) or
 * the eIDAS LoA URIs; null when it names something else.
 */
export function levelOfClassRef(ref: string | null): number | null {
  if (!ref) return null;
  const stork = /^STORK-QAA-Level-([0-4])$/.exec(ref.trim());
  if (stork) return Number(stork[1]);
  const eidas = { "http://eidas.europa.eu/LoA/low": 2, "http://eidas.europa.eu/LoA/substantial": 3, "http://eidas.europa.eu/LoA/high": 4 } as Record<string, number>;
  return eidas[ref.trim()] ?? null;
}

/**
 * BundID marks each attribute with how well it is proven, as `akdb:TrustLevel` on the
 * `saml:Attribute` (the keycloak extension maps UNTERGEORDNET/NORMAL/SUBSTANTIELL/HOCH to
 * STORK 1–4); null for an unknown word.
 */
export function levelOfAkdbTrustLevel(word: string | null): number | null {
  if (!word) return null;
  return ({ UNTERGEORDNET: 1, NORMAL: 2, SUBSTANTIELL: 3, HOCH: 4 } as Record<string, number>)[word.trim().toUpperCase()] ?? null;
}

/** The weakest of the levels the response states, as a TrustLevel; null if none is known or the weakest is below STORK 1. */
export function weakestTrustLevel(levels: ReadonlyArray<number | null>): TrustLevel | null {
  const known = levels.filter((l): l is number => l != null);
  return known.length === 0 ? null : fromNumber(Math.min(...known));
}

/**
 * BundID's `akdb:AuthenticationRequest` extension in node-saml's xmlbuilder notation: all login
 * methods allowed, every configured attribute required, and what BundID shows the person
 * (the town's name and the OnlineServiceId BundID registered the service under).
 */
export function akdbAuthenticationRequest(p: { attributes: string[]; onlineServiceId?: string; display?: { organization: string } }): Record<string, unknown> {
  const version: Record<string, unknown> = { "@xmlns:classic-ui": ns.classicUi };
  if (p.display) version["classic-ui:OrganizationDisplayName"] = p.display.organization;
  version["classic-ui:Lang"] = "de";
  if (p.onlineServiceId) version["classic-ui:OnlineServiceId"] = p.onlineServiceId;
  return {
    "akdb:AuthenticationRequest": {
      "@xmlns:akdb": ns.akdb,
      "@Version": "2",
      "akdb:AuthnMethods": Object.fromEntries(authnMethods.map((m) => [`akdb:${m}`, { "akdb:Enabled": "true" }])),
      "akdb:RequestedAttributes": {
        "akdb:RequestedAttribute": p.attributes.map((name) => ({ "@Name": name, "@RequiredAttribute": "true" })),
      },
      ...(p.display || p.onlineServiceId ? { "akdb:DisplayInformation": { "classic-ui:Version": version } } : {}),
    },
  };
}
