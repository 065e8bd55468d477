import { columnImporter, RECORD_EXTERNAL_ID, recordText } from '../../shared/record-import.js';

/**
 * Records an integration sync receives for the CMS become content items (the status is not imported: new items
 * are drafts); a record without a slug gets one from its upstream id.
 */
export const CMS_RECORD_IMPORT = columnImporter('content_items', {
  title: `COALESCE(${recordText('title')}, ${recordText('name')}, ${RECORD_EXTERNAL_ID})`,
  slug: `COALESCE(${recordText('slug')}, 'imported-' || regexp_replace(lower(${RECORD_EXTERNAL_ID}), '[^a-z0-9]+', '-', 'g'))`,
  body: `COALESCE(${recordText('body')}, '')`,
  meta_description: recordText('meta_description'),
  author: recordText('author'),
});
