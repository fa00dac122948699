/**
 * What the demo creates through the API: four push sources shaped as the replenishment kind
 * reads them, and one nightly replenishment loop over them. Found again by name at every start.
 */
export const DEMO_SOURCE_ROLES = ['demand', 'onHand', 'openOrders', 'itemMaster'] as const;
export type DemoSourceRole = (typeof DEMO_SOURCE_ROLES)[number];

export const DEFAULT_DEMO_PREFIX = 'demo shop';

export interface DemoFieldSpec {
  name: string;
  type: 'string' | 'number' | 'timestamp';
  required: boolean;
  min?: number;
  allowed?: string[];
}

export interface DemoSourceBody {
  name: string;
  kind: 'push';
  schema: {
    fields: DemoFieldSpec[];
    uniqueKey: string[];
    timeField: string;
    seriesKey: string[];
    valueField: string;
    dimensions: string[];
  };
  onDuplicate: 'skip' | 'upsert';
}

const SOURCE_TITLES: Record<DemoSourceRole, string> = {
  demand: 'daily demand',
  onHand: 'on hand',
  openOrders: 'purchase orders',
  itemMaster: 'item master',
};

export const demoSourceName = (prefix: string, role: DemoSourceRole) => `${prefix}: ${SOURCE_TITLES[role]}`;
export const demoLoopName = (prefix: string) => `${prefix}: replenishment`;

const text = (name: string, required = true): DemoFieldSpec => ({ name, type: 'string', required });
const quantity = (name: string, required = true): DemoFieldSpec => ({ name, type: 'number', required, min: 0 });
const SKU = text('sku');
const LOCATION = text('location');
const TS: DemoFieldSpec = { name: 'ts', type: 'timestamp', required: true };
const ITEM_AT_LOCATION = { seriesKey: ['sku', 'location'], dimensions: ['sku', 'location'], timeField: 'ts' };

export function demoSourceBodies(prefix: string): Record<DemoSourceRole, DemoSourceBody> {
  const body = (role: DemoSourceRole, schema: DemoSourceBody['schema'], onDuplicate: 'skip' | 'upsert' = 'skip'): DemoSourceBody =>
    ({ name: demoSourceName(prefix, role), kind: 'push', schema, onDuplicate });
  return {
    demand: body('demand', {
      fields: [SKU, LOCATION, TS, quantity('qty')],
      uniqueKey: ['sku', 'location', 'ts'], valueField: 'qty', ...ITEM_AT_LOCATION,
    }),
    onHand: body('onHand', {
      fields: [SKU, LOCATION, TS, quantity('onHand')],
      uniqueKey: ['sku', 'location', 'ts'], valueField: 'onHand', ...ITEM_AT_LOCATION,
    }),
    // A line is re-sent when it is received or cancelled: the newest status replaces the old one.
    openOrders: body('openOrders', {
      fields: [text('poNumber'), SKU, LOCATION, TS, quantity('quantity'),
        { name: 'status', type: 'string', required: true, allowed: ['open', 'received', 'cancelled'] }],
      uniqueKey: ['poNumber', 'sku', 'location'], valueField: 'quantity', timeField: 'ts',
      seriesKey: ['sku', 'location'], dimensions: ['sku', 'location', 'status'],
    }, 'upsert'),
    itemMaster: body('itemMaster', {
      fields: [SKU, LOCATION, TS, text('name', false), text('supplier', false), quantity('unitCost', false),
        quantity('packSize', false), quantity('moq', false), quantity('leadTimeDays', false), quantity('leadTimeSdDays', false)],
      uniqueKey: ['sku', 'location'], valueField: 'unitCost', ...ITEM_AT_LOCATION,
    }, 'upsert'),
  };
}

/**
 * Orders worth more than this wait for an operator's approval once the loop is live. The shop's
 * nightly orders are mostly under 100; a few (drills, heaters, a growing item) are above it.
 */
export const DEMO_APPROVAL_THRESHOLD = 250;
export const DEMO_CRON = '0 2 * * *';

export function demoLoopBody(prefix: string, sourceIds: Record<DemoSourceRole, string>) {
  return {
    name: demoLoopName(prefix),
    kind: 'replenishment',
    // dry-run: a fresh user sees every decision in the ledger and nothing is sent anywhere.
    mode: 'dry-run',
    params: {
      targetServiceLevel: 0.95,
      // The loop runs nightly, so each run is a one-day review: R matches the schedule.
      reviewPeriodDays: 1,
      serviceLevelFactor: 1,
      historyDays: 730,
      maxLeadTimeDays: 28,
      sources: demoSourceRefs(sourceIds),
    },
    trigger: { type: 'cron', cron: DEMO_CRON },
    approval: { when: 'above', threshold: DEMO_APPROVAL_THRESHOLD, timeoutSeconds: 86_400, onTimeout: 'reject' },
    actionTarget: { type: 'record' },
  };
}

export function demoSourceRefs(sourceIds: Record<DemoSourceRole, string>): Record<DemoSourceRole, { sourceId: string }> {
  return {
    demand: { sourceId: sourceIds.demand },
    onHand: { sourceId: sourceIds.onHand },
    openOrders: { sourceId: sourceIds.openOrders },
    itemMaster: { sourceId: sourceIds.itemMaster },
  };
}
