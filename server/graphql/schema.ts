import { builder } from './builder.ts';
import './errors.ts';
import './role.ts';
import './user.ts';
import './auth.ts';
import './second-factor.ts';
import './api-token.ts';
import './audit.ts';
import './host.ts';
import './task.ts';
import './vm.ts';
import './image.ts';
import './repository.ts';
import './ip-pool.ts';
import './console.ts';
import './metrics.ts';
import './capacity.ts';

export const schema = builder.toSchema({ sortSchema: true });
