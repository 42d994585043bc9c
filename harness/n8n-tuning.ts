/**
 * The n8n settings we recommend for webhook volume, in one place: `npm start`'s demo, the
 * queue-mode stack and `npm run bench` all run with them (the end-to-end suite keeps n8n's
 * defaults, so both stay tested).
 *
 * n8n 2.41 takes an expression isolate for every webhook request except its own Webhook node's
 * (`webhookPhaseNeedsIsolate` in `live-webhooks.js`) and for every credential it decrypts. With
 * lazy acquisition the isolate is made only when an expression actually reaches the engine, so
 * a request whose parameters and credential hold no expression costs none; one that does gets
 * a fresh isolate as before (released and disposed at the end, never shared). The compile cache
 * keeps V8's compiled form of the engine's runtime bundle, the same code in every isolate, so a
 * new isolate skips parsing it; V8 checks the cached data and recompiles when it does not fit.
 */
export const WEBHOOK_VOLUME_SETTINGS: Readonly<Record<string, string>> = {
  N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
  N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'true',
};

/** The settings as one line of `NAME=value` pairs, for telling people what runs. */
export const describeSettings = (settings: Readonly<Record<string, string>>) =>
  Object.entries(settings).map(([name, value]) => `${name}=${value}`).join(' ');
