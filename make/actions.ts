import type { MapperValue, ModuleSpec } from './blueprint';

/**
 * The action modules the recipes use, with the identifiers and versions Make's exports carry
 * (DESIGN.md; http:MakeRequest v4 also in Make's published patterns). Connections are never
 * named: the user picks them after import.
 */

export function slackMessage(channel: string, text: string): ModuleSpec {
  // "manualy" is Make's own spelling of the option that takes a channel typed in.
  return { module: 'slack:CreateMessage', version: 4, parameters: {}, mapper: { channelWType: 'manualy', channel, text, parse: false, mrkdwn: true } };
}

/** Appends one row to a sheet with a header row; the user picks the spreadsheet after import. */
export function sheetsRow(sheet: string, values: readonly string[]): ModuleSpec {
  return {
    module: 'google-sheets:addRow',
    version: 2,
    parameters: {},
    mapper: {
      mode: 'select',
      from: 'drive',
      spreadsheetId: '',
      sheetId: sheet,
      includesHeaders: true,
      insertUnformatted: false,
      valueInputOption: 'USER_ENTERED',
      insertDataOption: 'INSERT_ROWS',
      values: Object.fromEntries(values.map((value, index) => [String(index), value])),
    },
  };
}

/** A JSON request with a bearer token read from a Make custom variable, never written here. */
export function jsonRequest(method: 'post' | 'patch', url: string, tokenVariable: string, body: MapperValue): ModuleSpec {
  return {
    module: 'http:MakeRequest',
    version: 4,
    parameters: { authenticationType: 'noAuth' },
    mapper: {
      url,
      method,
      headers: [{ name: 'Authorization', value: `Bearer {{${tokenVariable}}}` }],
      contentType: 'json',
      parseResponse: true,
      queryParameters: [],
      inputMethod: 'jsonString',
      jsonStringBodyContent: JSON.stringify(body),
    },
  };
}
