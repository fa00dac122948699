/**
 * Writes the ledger's anchors: after OPSLOOP_ANCHOR_EVERY new entries, or every
 * OPSLOOP_ANCHOR_INTERVAL_SECONDS while the ledger grows. Before signing a new head it checks
 * that the chain still passes through the previous anchor, so an anchor never blesses a history
 * that was rewritten since the last one. Several workers may anchor at once: harmless.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import path from 'node:path';
import { anchorMac, WorkerEnv } from '@opsloop/config';
import { OutboundHttp, OutboundPolicy, parseAllowedHosts } from '@opsloop/connectors';
import { anchorName, checkAnchor, LedgerAnchor, signAnchor } from '@opsloop/domain';
import { AnchorDirectory, LedgerRepository } from '@opsloop/persistence';
import { WORKER_ENV } from '../worker-env';

const TICK_MS = 5_000;

@Injectable()
export class LedgerAnchorer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(LedgerAnchorer.name);
  private readonly dir: AnchorDirectory;
  private readonly mac: (text: string) => string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {
    this.dir = new AnchorDirectory(path.resolve(env.OPSLOOP_ANCHOR_DIR));
    this.mac = anchorMac(env);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(async () => { await this.anchorIfDue(); }).catch((err: unknown) => this.log.error(`ledger anchor failed: ${(err as Error).message}`));
    }, TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Writes an anchor when one is due; returns it, or null when none was due. */
  async anchorIfDue(now = new Date()): Promise<LedgerAnchor | null> {
    const ledger = await this.ledger.identity();
    const head = await this.ledger.head();
    const last = this.dir.newest(ledger)?.anchor ?? null;
    if (head.seq === 0 || (last && head.seq <= last.seq)) return null;
    const grown = head.seq - (last?.seq ?? 0);
    const age = last ? now.getTime() - Date.parse(last.at) : Infinity;
    if (grown < this.env.OPSLOOP_ANCHOR_EVERY && age < this.env.OPSLOOP_ANCHOR_INTERVAL_SECONDS * 1000) return null;
    if (last) {
      const check = checkAnchor(last, await this.ledger.hashAt(last.seq), head.seq, this.mac);
      if (!check.ok) throw new Error(`not anchoring seq ${head.seq}: ${check.message}`);
    }
    const anchor = signAnchor(ledger, head, now, this.mac);
    const file = this.dir.write(anchor);
    this.log.log(`ledger ${anchorName(anchor)} written to ${file}`);
    await this.publish(anchor);
    return anchor;
  }

  private async publish(anchor: LedgerAnchor): Promise<void> {
    if (!this.env.OPSLOOP_ANCHOR_WEBHOOK) return;
    const http = new OutboundHttp(new OutboundPolicy(parseAllowedHosts(this.env.OUTBOUND_ALLOWED_HOSTS)));
    const reply = await http.postJson(this.env.OPSLOOP_ANCHOR_WEBHOOK, anchor, { timeoutMs: 10_000 });
    if (reply.status < 200 || reply.status >= 300) throw new Error(`anchor webhook answered ${reply.status}`);
  }
}
