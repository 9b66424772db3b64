import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { ALL_PRIVILEGES } from './privileges.ts';

// Shared by GraphQL argument validation and by the services (which the CLI calls directly).
export const emailSchema = z.string().trim().max(254, 'An email address has at most 254 characters').pipe(z.email('Enter a valid email address'));
export const personNameSchema = z.string().trim().min(1, 'A name is required').max(100, 'A name has at most 100 characters');
export const passwordSchema = z
  .string()
  .min(10, 'A password has at least 10 characters')
  .max(256, 'A password has at most 256 characters');
export const roleNameSchema = z
  .string()
  .trim()
  .min(1, 'A role name is required')
  .max(64, 'A role name has at most 64 characters')
  .regex(/^[\p{L}\p{N} ._-]+$/u, 'A role name uses letters, digits, spaces, dots, dashes and underscores');
export const descriptionSchema = z.string().trim().max(500, 'A description has at most 500 characters');
export const privilegeListSchema = z.array(z.enum(ALL_PRIVILEGES as [string, ...string[]])).max(ALL_PRIVILEGES.length);
export const tokenNameSchema = z.string().trim().min(1, 'A token name is required').max(100, 'A token name has at most 100 characters');
export const quotaLimitSchema = z.number().int().min(0).max(1_000_000).nullable();

/** Parses input with a zod schema; failures become a ValidationError naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationErrorFromZod(result.error);
}

export function validationErrorFromZod(error: z.ZodError): ValidationError {
  const fieldErrors = error.issues.map((issue) => ({
    path: issue.path.map(String),
    message: issue.message,
  }));
  return new ValidationError(fieldErrors.map((f) => (f.path.length ? `${f.path.join('.')}: ${f.message}` : f.message)).join('; '), fieldErrors);
}
