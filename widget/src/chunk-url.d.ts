/** `import url from "./x.js?chunk-url"`: the URL of the chunk holding x, see widget/chunk-url.ts. */
declare module "*?chunk-url" {
  const url: string;
  export default url;
}
