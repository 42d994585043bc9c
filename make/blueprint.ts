/**
 * The shape of a Make scenario blueprint as Make's published examples write it
 * (integromat/make-blueprints, patterns/*): only the authoring subset, no exporter metadata.
 */

/** One comparison of a filter: `a` and `b` are IML text, `o` one of Make's operators. */
export interface Condition {
  readonly a: string;
  readonly o: 'text:equal' | 'number:equal' | 'number:greater' | 'boolean:equal';
  readonly b: string;
}

/** Make passes a bundle when any inner list holds whole: OR of ANDs. */
export interface Filter {
  readonly name: string;
  readonly conditions: readonly (readonly Condition[])[];
}

export type MapperValue = string | number | boolean | readonly MapperValue[] | { readonly [key: string]: MapperValue };

export interface MakeModule {
  readonly id: number;
  readonly module: string;
  readonly version: number;
  readonly parameters?: Readonly<Record<string, MapperValue>>;
  readonly mapper: Readonly<Record<string, MapperValue>> | null;
  readonly filter?: Filter;
  readonly routes?: readonly { readonly flow: readonly MakeModule[] }[];
  readonly metadata: { readonly designer: { readonly x: number; readonly y: number } };
}

export interface Blueprint {
  readonly name: string;
  readonly description: string;
  readonly flow: readonly MakeModule[];
  readonly metadata: {
    readonly version: 1;
    readonly scenario: Readonly<Record<string, boolean | number>>;
    readonly designer: { readonly orphans: readonly never[] };
  };
}

/** A module as a recipe describes it; the generator gives it its id, place and filter. */
export type ModuleSpec = Pick<MakeModule, 'module' | 'version' | 'mapper'> & Required<Pick<MakeModule, 'parameters'>>;
