import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { EventSelection } from '../../shared/subscription-api';

/** The picker's value standing for every event, as n8n's own triggers spell it. */
export const ALL_EVENTS = '*';

export function selectedEvents(context: Pick<IHookFunctions | IWebhookFunctions, 'getNodeParameter'>): EventSelection {
  const events = context.getNodeParameter('events', []) as string[];
  return events.includes(ALL_EVENTS) ? 'all' : events;
}

export function isSelected(selection: EventSelection, eventType: string): boolean {
  return selection === 'all' || selection.includes(eventType);
}
