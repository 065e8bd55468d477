import { getMetadataArgsStorage } from 'typeorm';

/** The table names of TypeORM entity classes, in their order, as their @Entity() decorators declare them. */
export function tablesOf(entities: readonly (new () => object)[]): string[] {
  const declared = getMetadataArgsStorage().tables;
  return entities.map((entity) => {
    const name = declared.find((table) => table.target === entity)?.name;
    if (name === undefined) throw new Error(`${entity.name} is not an @Entity() with a table name`);
    return name;
  });
}
