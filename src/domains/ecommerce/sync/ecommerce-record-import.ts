import { columnImporter, RECORD_EXTERNAL_ID, recordNumber, recordText } from '../../shared/record-import.js';

/**
 * Records an integration sync receives for e-commerce become products (the SKU defaults to the upstream id).
 * Stock is not imported: it changes only through inventory movements.
 */
export const ECOMMERCE_RECORD_IMPORT = columnImporter('products', {
  sku: `COALESCE(${recordText('sku')}, ${RECORD_EXTERNAL_ID})`,
  name: `COALESCE(${recordText('name')}, ${recordText('sku')}, ${RECORD_EXTERNAL_ID})`,
  price: `COALESCE(${recordNumber('price')}, 0)`,
  cost: recordNumber('cost'),
  lead_time_days: `COALESCE(${recordNumber('lead_time_days')}, 7)`,
});
