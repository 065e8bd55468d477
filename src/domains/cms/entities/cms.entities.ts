import { ContentItemEntity } from './content-item.entity.js';

/** The tables this domain owns, registered by its module and declared by its supervisor. */
export const CMS_ENTITIES = [ContentItemEntity];
