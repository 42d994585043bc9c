import { z } from 'zod/v4';
import type { EventDefinition } from './vendor-definition';

declare const slot: unique symbol;

/**
 * Where an envelope puts the event's name. An envelope is written once for all of a vendor's
 * events, so its schema gets stand-ins for what differs per event; the brand lets the types
 * put each event's own literal and data schema back in their place.
 */
export type EventNameSlot = z.ZodLiteral<string> & { readonly [slot]: 'name' };
/** Where an envelope puts the event's own `data` schema. */
export type EventDataSlot = z.ZodType & { readonly [slot]: 'data' };

type EnvelopeShape = z.core.$ZodLooseShape;
type EnvelopeConfig = z.core.$ZodObjectConfig;

/** What every delivery of a vendor has around the event's own data. */
export interface Envelope<Shape extends EnvelopeShape, Config extends EnvelopeConfig, Shared> {
  /** The whole delivery body, from the literal of the event's name and the event's data schema. */
  readonly schema: (name: EventNameSlot, data: EventDataSlot) => z.ZodObject<Shape, Config>;
  /** The sample fields every event shares (its name among them); each event gives the rest. */
  readonly sample: (name: string) => Shared;
}

// Only top-level fields, bare or optional, are filled: that is where every envelope names its event and holds its data.
type Filled<S, Name extends string, Data> = S extends EventNameSlot
  ? z.ZodLiteral<Name>
  : S extends z.ZodOptional<EventNameSlot>
    ? z.ZodOptional<z.ZodLiteral<Name>>
    : S extends EventDataSlot
      ? Data
      : S;

/** One event's schema: the envelope with the event's own name and data in their slots. */
export type EnvelopedSchema<Shape extends EnvelopeShape, Config extends EnvelopeConfig, Name extends string, Data> = z.ZodObject<
  { -readonly [P in keyof Shape]: Filled<Shape[P], Name, Data> },
  Config
>;

/** The envelope fields of a sample that the envelope's shared sample does not fill in. */
type OwnSample<Sample, Shared> = {
  [P in keyof Sample as string extends P ? never : P extends keyof Shared ? never : P]: Sample[P];
};

/** One event as a vendor file writes it: its name is the key it stands under. */
export interface EventSpec<Data extends z.ZodType, Sample> extends Pick<EventDefinition, 'title' | 'description' | 'category'> {
  /** The event's own `data`, which the envelope wraps. */
  readonly data: Data;
  /** The doc's own example where it gives one, otherwise built from its field table: what the envelope's sample leaves out. */
  readonly sample: Sample;
}

type Catalog<Shape extends EnvelopeShape, Config extends EnvelopeConfig, Data extends Record<string, z.ZodType>> = {
  [Name in keyof Data & string]: EventDefinition<EnvelopedSchema<Shape, Config, Name, Data[Name]>>;
};

/** The sample with its fields in the schema's order: hosts show fields in that order. */
function inSchemaOrder(shape: EnvelopeShape, sample: Record<string, unknown>): Record<string, unknown> {
  const keys = [...Object.keys(shape).filter((key) => Object.hasOwn(sample, key)), ...Object.keys(sample)];
  return Object.fromEntries([...new Set(keys)].map((key) => [key, sample[key]]));
}

/**
 * A vendor's events, each name written once, as the key it stands under. Each event's schema is
 * the envelope around its data with its name as the discriminating literal, so parsed events
 * form a discriminated union; its sample is the envelope's shared fields and its own, checked
 * against that schema at compile time.
 */
export function defineEvents<
  Shape extends EnvelopeShape,
  Config extends EnvelopeConfig,
  Shared extends Partial<z.input<z.ZodObject<Shape, Config>>>,
  Data extends Record<string, z.ZodType>,
>(
  envelope: Envelope<Shape, Config, Shared>,
  events: {
    [Name in keyof Data]: EventSpec<Data[Name], OwnSample<z.input<EnvelopedSchema<Shape, Config, Name & string, Data[Name]>>, Shared>>;
  },
): Catalog<Shape, Config, Data> {
  const entries = Object.entries(events).map(([name, { title, description, category, data, sample }]) => {
    const schema = envelope.schema(z.literal(name) as EventNameSlot, data as EventDataSlot);
    const full = inSchemaOrder(schema.shape, { ...envelope.sample(name), ...sample });
    const event: EventDefinition = { title, description, category, schema, sample: full };
    return [name, event] as const;
  });
  // Each schema and sample was built from the event's own name and data, which is what the mapped type says.
  return Object.fromEntries(entries) as Catalog<Shape, Config, Data>;
}
