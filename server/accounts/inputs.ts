import { z } from "zod";
import { fieldMessages } from "../http/messages.js";
import { fieldError } from "../http/validate.js";
import { newPassword } from "./password-policy.js";
import { normaliseMobile } from "./phone.js";

/** Request bodies of the account routes; parsing also normalises (trimmed, lowercased e-mail, E.164 mobile). */

const octets = (v: string) => new TextEncoder().encode(v).length;

/**
 * RFC 5321 limits what a mail server accepts: 64 octets before the "@", 254 in all. An address
 * beyond them would be stored, then bounce on every mail, so it is refused as invalid up front.
 */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => octets(v) <= 254 && octets(v.slice(0, v.lastIndexOf("@"))) <= 64, {
    params: fieldError("invalid_email", fieldMessages.invalid_email),
    abort: true,
  })
  .pipe(z.email());

export const mobile = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const e164 = normaliseMobile(v);
    if (!e164) {
      ctx.addIssue({ code: "custom", params: fieldError("invalid_mobile", fieldMessages.invalid_mobile) });
      return z.NEVER;
    }
    return e164;
  });

const text = (max: number) => z.string().trim().min(1).max(max);

export const address = z
  .object({
    street: text(120),
    postalCode: z.string().trim().regex(/^[0-9A-Za-z -]{3,10}$/),
    city: text(80),
  })
  .strict();

export const code = z
  .string()
  .trim()
  .refine((v) => /^\d{6}$/.test(v), { params: fieldError("code_format", fieldMessages.code_format) });

export const lang = z.enum(["de", "en"]);

export const registerInput = z
  .object({
    kind: z.enum(["person", "association", "company"]),
    /** The person's name, or for a Verein or company the contact person. */
    name: text(120),
    organisation: text(160).optional(),
    registerNumber: text(40).optional(),
    address: address.optional(),
    email,
    mobile,
    password: newPassword,
    acceptPrivacy: z.unknown().refine((v) => v === true, { params: fieldError("privacy_required", fieldMessages.privacy_required) }),
    lang: lang.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind !== "person" && !v.organisation) {
      ctx.addIssue({ code: "custom", path: ["organisation"], params: fieldError("required", fieldMessages.required) });
    }
    if (v.kind === "person" && (v.organisation || v.registerNumber)) {
      const path = v.organisation ? "organisation" : "registerNumber";
      ctx.addIssue({ code: "custom", path: [path], params: fieldError("unknown_field", fieldMessages.unknown_field) });
    }
  });

export const loginInput = z.object({ email, password: z.string().min(1).max(256) }).strict();
export const codeInput = z.object({ code }).strict();
export const resendInput = z.object({ channel: z.enum(["email", "mobile"]) }).strict();
export const resetRequestInput = z.object({ email }).strict();
export const resetConfirmInput = z.object({ email, code, password: newPassword }).strict();
export const passwordInput = z.object({ password: z.string().min(1).max(256) }).strict();
export const changePasswordInput = z.object({ currentPassword: z.string().min(1).max(256), newPassword }).strict();

export const updateMeInput = z
  .object({
    name: text(120).optional(),
    organisation: text(160).optional(),
    registerNumber: text(40).nullable().optional(),
    address: address.nullable().optional(),
    lang: lang.optional(),
    email: email.optional(),
    mobile: mobile.optional(),
    /** Required to change the e-mail address or mobile number. */
    currentPassword: z.string().min(1).max(256).optional(),
  })
  .strict();
