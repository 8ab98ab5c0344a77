// mjml 5 ships no type declarations; this covers the part the build-time compiler uses.
declare module "mjml" {
  export interface MjmlOptions {
    validationLevel?: "strict" | "soft" | "skip";
    filePath?: string;
    ignoreIncludes?: boolean;
    includePath?: string | string[];
    fonts?: Record<string, string>;
    keepComments?: boolean;
    minify?: boolean;
    beautify?: boolean;
  }
  export interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  export interface MjmlResult {
    html: string;
    errors: MjmlError[];
  }
  export default function mjml2html(input: string, options?: MjmlOptions): Promise<MjmlResult>;
}
