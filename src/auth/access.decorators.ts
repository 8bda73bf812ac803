import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles.js';

export const ROLES_METADATA = 'arrears:roles';
export const TIME_TRAVEL_ROLES_METADATA = 'arrears:time-travel-roles';
export const PUBLIC_METADATA = 'arrears:public';

/** The roles any one of which lets a key use the route (on a controller, or a handler to override it). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_METADATA, roles);

/**
 * The roles a view needs when asked about the past (`asOf`, `knownAt`): looking back is
 * an auditor's work, so the present view's roles do not carry over.
 */
export const TimeTravelRoles = (...roles: Role[]) => SetMetadata(TIME_TRAVEL_ROLES_METADATA, roles);

/** Open to anyone, no key: liveness for load balancers. */
export const Public = () => SetMetadata(PUBLIC_METADATA, true);
