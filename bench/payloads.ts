import { VENDORS } from '../shared';

export interface BenchPayload {
  readonly label: string;
  readonly vendor: 'konver' | 'converc';
  readonly body: Buffer;
}

/** A Konver person as a CRM sends it, with as many phone entries as fill `bytes`. */
function konverPerson(bytes: number): Buffer {
  const sample = structuredClone(VENDORS.konver.events['person.created'].sample);
  const phones = sample.data.entity.phones;
  while (JSON.stringify(sample).length < bytes) phones.push({ origin: 'CRM import', phone: `+4930${String(phones.length).padStart(8, '0')}` });
  return Buffer.from(JSON.stringify(sample));
}

/** A Converc transcript event whose data carries the transcript text, filled to `bytes`. */
function convercTranscript(bytes: number): Buffer {
  const sample = { ...VENDORS.converc.events['call.transcript_ready'].sample, data: { callId: 'call_01', language: 'en', transcript: '' } };
  const line = 'Speaker 1: Thanks for taking the time today, let us walk through the pilot plan. ';
  const room = bytes - JSON.stringify(sample).length;
  sample.data.transcript = line.repeat(Math.ceil(room / line.length)).slice(0, room);
  return Buffer.from(JSON.stringify(sample));
}

/** The two body sizes the targets name: a CRM entity (1 KB) and a call transcript (64 KB). */
export const PAYLOADS: BenchPayload[] = [
  { label: '1 KB (Konver person.created)', vendor: 'konver', body: konverPerson(1024) },
  { label: '64 KB (Converc call.transcript_ready)', vendor: 'converc', body: convercTranscript(64 * 1024) },
];
