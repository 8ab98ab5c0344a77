import { z } from "zod";
import { fieldMessages } from "../http/messages.js";
import { fieldError } from "../http/validate.js";
import { commonPasswords } from "./common-passwords.js";

export const MIN_PASSWORD_LENGTH = 10;

/** A new password: long enough, not on the list of common passwords. */
export const newPassword = z
  .string()
  .max(256)
  .refine((p) => [...p].length >= MIN_PASSWORD_LENGTH, { params: fieldError("password_too_short", fieldMessages.password_too_short) })
  .refine((p) => !commonPasswords.has(p.toLowerCase()), { params: fieldError("password_common", fieldMessages.password_common) });
