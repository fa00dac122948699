/**
 * Ledger anchors as files outside the database: one JSON file per anchor, in a folder per
 * ledger, written atomically (temp file, then rename) and readable by the owner only.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LedgerAnchor } from '@opsloop/domain';
import type { AnchorSource } from '../repositories/ledger.repository';

const FILE = /^anchor-(\d{12})\.json$/;

export class AnchorDirectory {
  constructor(readonly dir: string) {}

  write(anchor: LedgerAnchor): string {
    const folder = this.folderOf(anchor.ledger);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const file = path.join(folder, `anchor-${String(anchor.seq).padStart(12, '0')}.json`);
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
    fs.renameSync(partial, file);
    return file;
  }

  /** The anchor with the highest seq for this ledger, or null when there is none yet. */
  newest(ledger: string): { anchor: LedgerAnchor; file: string } | null {
    const folder = this.folderOf(ledger);
    if (!fs.existsSync(folder)) return null;
    const newest = fs.readdirSync(folder).filter((f) => FILE.test(f)).sort().pop();
    if (!newest) return null;
    const file = path.join(folder, newest);
    return { anchor: parseAnchor(fs.readFileSync(file, 'utf8'), file), file };
  }

  private folderOf(ledger: string): string {
    return path.join(this.dir, createHash('sha256').update(ledger).digest('hex').slice(0, 16));
  }
}

/** A malformed file is an error, not "no anchor": silently ignoring it would hide tampering. */
function parseAnchor(text: string, file: string): LedgerAnchor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`ledger anchor ${file} is not valid JSON`);
  }
  const a = value as Partial<LedgerAnchor>;
  const ok = typeof a.ledger === 'string' && Number.isInteger(a.seq) && typeof a.hash === 'string' && typeof a.at === 'string' && typeof a.mac === 'string';
  if (!ok) throw new Error(`ledger anchor ${file} lacks ledger, seq, hash, at or mac`);
  return a as LedgerAnchor;
}

/** What LedgerRepository.verify() needs: the newest anchor per ledger, and the MAC to check it. */
export function anchorSourceFrom(dir: AnchorDirectory, mac: (text: string) => string): AnchorSource {
  return { newest: (ledger) => dir.newest(ledger)?.anchor ?? null, mac };
}
