import { columnImporter, RECORD_EXTERNAL_ID, recordNumber, recordText } from '../../shared/record-import.js';

/**
 * Records an integration sync receives for the CRM become customers. Only contact and scoring fields are taken;
 * a record without a name is named by its email, else its upstream id.
 */
export const CRM_RECORD_IMPORT = columnImporter('customers', {
  name: `COALESCE(${recordText('name')}, ${recordText('email')}, ${RECORD_EXTERNAL_ID})`,
  email: recordText('email'),
  company: recordText('company'),
  ltv: recordNumber('ltv'),
  engagement_score: recordNumber('engagement_score'),
  churn_risk: recordNumber('churn_risk'),
  frequency: recordNumber('frequency'),
  monetary: recordNumber('monetary'),
  support_tickets: recordNumber('support_tickets'),
  payment_failures: recordNumber('payment_failures'),
});
