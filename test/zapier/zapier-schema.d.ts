/** The parts of Zapier's untyped JavaScript validators these tests call. */
declare module 'zapier-platform-schema' {
  export interface ValidationResult {
    errors: { property: string; message: string; stack: string }[];
  }
  export function validateAppDefinition(definition: object): ValidationResult;
}

declare module 'zapier-platform-schema/lib/schemas/TriggerSchema' {
  import type { ValidationResult } from 'zapier-platform-schema';
  export function validate(trigger: object): ValidationResult;
}

/** What `zapier-platform validate` and `build` do to an app before checking it: resolve, then serialize functions. */
declare module 'zapier-platform-core/src/tools/schema' {
  export function compileApp(app: object): object;
  export function serializeApp(compiledApp: object): Record<string, unknown> & { triggers: Record<string, object> };
}
