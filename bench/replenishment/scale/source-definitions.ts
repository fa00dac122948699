/**
 * The four sources the replenishment kind reads, exactly as the kind's contract declares them
 * (field names fixed, items identified by the `sku` and `location` dimensions). They are created
 * through POST /api/v1/sources, so the API validates them like any user's.
 */
export type SourceRole = 'demand' | 'onHand' | 'openOrders' | 'itemMaster';
export const SOURCE_ROLES: readonly SourceRole[] = ['demand', 'onHand', 'openOrders', 'itemMaster'];

const SKU = { name: 'sku', type: 'string', required: true };
const LOCATION = { name: 'location', type: 'string', required: true };
const TS = { name: 'ts', type: 'timestamp', required: true };
const ITEM = ['sku', 'location'];

export const SOURCE_DEFINITIONS: Record<SourceRole, { schema: object; onDuplicate?: 'upsert' }> = {
  demand: {
    schema: {
      fields: [SKU, LOCATION, TS, { name: 'qty', type: 'number', required: true, min: 0 }],
      uniqueKey: ['sku', 'location', 'ts'], timeField: 'ts', seriesKey: ITEM, valueField: 'qty', dimensions: ITEM,
    },
  },
  onHand: {
    schema: {
      fields: [SKU, LOCATION, TS, { name: 'onHand', type: 'number', required: true, min: 0 }],
      uniqueKey: ['sku', 'location', 'ts'], timeField: 'ts', seriesKey: ITEM, valueField: 'onHand', dimensions: ITEM,
    },
  },
  openOrders: {
    schema: {
      fields: [
        { name: 'poNumber', type: 'string', required: true }, SKU, LOCATION, TS,
        { name: 'quantity', type: 'number', required: true, min: 0 },
        { name: 'status', type: 'string', allowed: ['open', 'received', 'cancelled'] },
      ],
      uniqueKey: ['poNumber', 'sku', 'location'], timeField: 'ts', seriesKey: ITEM, valueField: 'quantity',
      dimensions: ['sku', 'location', 'status'],
    },
    onDuplicate: 'upsert',
  },
  itemMaster: {
    schema: {
      fields: [
        SKU, LOCATION, TS,
        { name: 'leadTimeDays', type: 'number', min: 0 }, { name: 'leadTimeSdDays', type: 'number', min: 0 },
        { name: 'unitCost', type: 'number', min: 0 }, { name: 'moq', type: 'number', min: 0 },
        { name: 'packSize', type: 'number', min: 0 }, { name: 'supplier', type: 'string' },
      ],
      uniqueKey: ['sku', 'location'], timeField: 'ts', seriesKey: ITEM, valueField: 'unitCost', dimensions: ITEM,
    },
    onDuplicate: 'upsert',
  },
};
