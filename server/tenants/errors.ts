/** A bad tenant folder: one message naming the file and the field, made for a consortium admin. */
export class TenantDefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `field "${field}": ` : ""}${problem}`);
    this.name = "TenantDefinitionError";
  }
}
