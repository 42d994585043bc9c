/** The one function of js-yaml (untyped JavaScript) the workflow tests call. */
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
