import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from './access.decorators.js';
import { ApiKeyRegistry } from './api-key-registry.js';
import { ROLES, type Role } from './roles.js';

export class ApiKeyDto {
  @ApiProperty({ description: 'Who the key stands for; recorded as the actor of what it does' }) principal!: string;
  @ApiProperty({ description: 'The roles the key holds', enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ description: 'When the key was created; null when not recorded', type: String, format: 'date-time', nullable: true }) createdAt!: string | null;
}

/** Which principals hold keys, and with what roles; never a secret or a hash. Keys are added and revoked with `arrears keys`. */
@ApiTags('api-keys')
@Controller('api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly registry: ApiKeyRegistry) {}

  @Get()
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(): ApiKeyDto[] {
    return this.registry.entries.map(({ principal, roles, createdAt }) => ({ principal, roles: [...roles], createdAt: createdAt ?? null }));
  }
}
