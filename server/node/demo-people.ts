/** The invented people of the demo's Test-Bürgerkonto (server/node/demo-idp.ts); no imports, so the API suite can name them in workerd too. */

export interface DemoIdentity {
  /** The OIDC `sub`: stable, shaped like a BundID bPK2 (base64 of 20 bytes), obviously invented. */
  id: string;
  givenName: string;
  familyName: string;
  email: string;
  address: { street: string; postalCode: string; city: string };
}

export const demoIdentities: ReadonlyArray<DemoIdentity> = [
  {
    id: "ZgdW6LXbTU3kSIe+AqoYScOGUiE=",
    givenName: "Anna",
    familyName: "Schmidt",
    email: "anna.schmidt@example.org",
    address: { street: "Lindenallee 17", postalCode: "39517", city: "Tangerhütte" },
  },
  {
    id: "ptHz28C6DG3pcbJ/CxcseqAE5rk=",
    givenName: "Mehmet",
    familyName: "Yılmaz",
    email: "mehmet.yilmaz@example.org",
    address: { street: "Marktplatz 3", postalCode: "12345", city: "Musterstadt" },
  },
  {
    id: "VFbeF0MR8VeZZUGM7l27e6E5+FQ=",
    givenName: "Jürgen",
    familyName: "Weiß",
    email: "juergen.weiss@example.org",
    address: { street: "Große Straße 8", postalCode: "39517", city: "Tangerhütte" },
  },
  {
    id: "XJlml1ryNPV8vMHbmljsz9lM27E=",
    givenName: "Lena",
    familyName: "Nowak",
    email: "lena.nowak@example.org",
    address: { street: "Am Mühlenteich 21", postalCode: "12345", city: "Musterstadt" },
  },
];
