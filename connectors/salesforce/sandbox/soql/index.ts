export { parseSoql } from './parse-soql';
export type { Condition, FieldPath, Literal, OrderItem, SoqlQuery } from './parse-soql';
export { applyLimit, bindQuery, likeRegex, selectRows } from './evaluate-soql';
export type { BoundQuery, ReadField, ResolvedField, SoqlFieldType, SoqlSchema } from './evaluate-soql';
export { dateLiteralRange, datetimeMs, isoDay } from './date-literals';
export { SoqlError, type SoqlErrorCode } from './soql-error';
