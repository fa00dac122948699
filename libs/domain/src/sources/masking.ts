/**
 * Personal fields are never stored raw. 'hash' keeps a value joinable but unreadable (a keyed hash
 * the caller supplies, so this stays pure); 'mask' keeps a little of its shape for a human
 * (`j***@example.com`, `*******1234`).
 */
import type { FieldSpec, PersonalTreatment } from './source-schema';

/** A keyed hash (HMAC) of one value, hex or similar; built by the caller from its secret key. */
export type PersonalHasher = (value: string) => string;

const STAR = '*';

/** Emails keep their first letter and domain; anything else keeps its last third (at most 4 characters). */
export function maskValue(value: string): string {
  const at = value.lastIndexOf('@');
  if (at >= 0) return `${value.slice(0, Math.min(1, at))}***${value.slice(at)}`;
  const keep = Math.min(4, Math.floor(value.length / 3));
  return STAR.repeat(value.length - keep) + value.slice(value.length - keep);
}

/** What gets hashed: trimmed, and emails lower-cased, so the same address always hashes the same. */
export function hashInput(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed;
}

export function applyTreatment(treatment: PersonalTreatment, value: string, hasher: PersonalHasher): string {
  return treatment === 'hash' ? hasher(hashInput(value)) : maskValue(value);
}

/** The personal fields of one schema, applied to typed rows and to raw rows bound for quarantine. */
export class PersonalMasker {
  private readonly slots: { index: number; name: string; treatment: PersonalTreatment }[];

  constructor(fields: readonly FieldSpec[], private readonly hasher: PersonalHasher) {
    this.slots = fields.flatMap((f, index) => (f.personal ? [{ index, name: f.name, treatment: f.personal }] : []));
  }

  get active(): boolean {
    return this.slots.length > 0;
  }

  /** In place, on a row typed by RowValidator (one slot per schema field). */
  maskTyped(typed: unknown[]): void {
    for (const slot of this.slots) {
      const v = typed[slot.index];
      if (v !== null && v !== undefined) typed[slot.index] = applyTreatment(slot.treatment, String(v), this.hasher);
    }
  }

  /** A copy of a raw input row with every personal field treated, whatever its (possibly wrong) type. */
  maskRaw(values: Record<string, unknown>): Record<string, unknown> {
    if (this.slots.length === 0) return values;
    const copy = { ...values };
    for (const slot of this.slots) {
      if (!Object.hasOwn(copy, slot.name)) continue;
      const v = copy[slot.name];
      if (v === null || v === undefined || v === '') continue;
      const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
      copy[slot.name] = applyTreatment(slot.treatment, text, this.hasher);
    }
    return copy;
  }
}
