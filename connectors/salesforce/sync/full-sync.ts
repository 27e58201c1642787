import { mapCase } from '../map-case';
import { mapContact } from '../map-contact';
import { mapProduct } from '../map-product';
import { mapUser } from '../map-user';
import { emptyRelations, indexLines, storeOpportunities } from './opportunities';
import { readObject } from './read-objects';
import { STORED_AS, type RunContext } from './run-context';
import { countRemoved, storeOutcomes } from './store-records';

/**
 * A full read: every row of every object, stored page by page; line items and contact roles are indexed before
 * the opportunities that need them. Then every stored record the read did not return is dropped (`retain-only`
 * per type): it was deleted in Salesforce.
 */
export async function fullSync(ctx: RunContext): Promise<void> {
  const { tenant } = ctx.options;
  await readObject(ctx, 'User', undefined, (rows) => storeOutcomes(ctx, 'User', 'rep', rows.map(mapUser)));
  await readObject(ctx, 'Product2', undefined, (rows) =>
    storeOutcomes(ctx, 'Product2', 'product', rows.map(mapProduct)),
  );
  await readObject(ctx, 'Contact', undefined, (rows) =>
    storeOutcomes(
      ctx,
      'Contact',
      'customer',
      rows.map((row) => mapContact(row, { tenant })),
    ),
  );
  const relations = emptyRelations();
  await readObject(ctx, 'OpportunityLineItem', undefined, (rows) => indexLines(ctx, relations, rows));
  await readObject(ctx, 'OpportunityContactRole', undefined, (rows) => {
    for (const row of rows) relations.roles.add(row);
  });
  await readObject(ctx, 'Opportunity', undefined, (rows) => storeOpportunities(ctx, rows, relations));
  await readObject(ctx, 'Case', undefined, (rows) =>
    storeOutcomes(ctx, 'Case', 'serviceCase', rows.map(mapCase)),
  );

  for (const [object, recordType] of STORED_AS)
    countRemoved(
      ctx,
      await ctx.options.sink.apply({ kind: 'retain-only', type: recordType, keep: ctx.storedIds[object] }),
    );
}
