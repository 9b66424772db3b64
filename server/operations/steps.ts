// The step table and operation names, derived from the operation files (see registry.ts).
export { OPERATION_NAMES, STEPS, type OperationName } from './registry.ts';
