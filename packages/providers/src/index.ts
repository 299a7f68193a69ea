export * from './pricing/price-table.ts';
