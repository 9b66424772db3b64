import { builder } from './builder.ts';
import './errors.ts';
import './role.ts';
import './user.ts';
import './auth.ts';
import './api-token.ts';
import './audit.ts';

export const schema = builder.toSchema({ sortSchema: true });
