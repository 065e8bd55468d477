import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'crew:public';
export const SERVICE_KEY_ONLY = 'crew:service-key-only';

/** The route needs no API key (health probes, /metrics). Every other route is guarded by default. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only a service key (`key:*`) may call the route: operator actions such as registering with the Brain. */
export const ServiceKeyOnly = (): MethodDecorator & ClassDecorator => SetMetadata(SERVICE_KEY_ONLY, true);
